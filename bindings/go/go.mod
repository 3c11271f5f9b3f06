module github.com/trustbundle/trustbundle/bindings/go

go 1.22
