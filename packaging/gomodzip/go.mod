module github.com/trustbundle/trustbundle/packaging/gomodzip

go 1.22
