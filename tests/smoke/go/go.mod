module trustbundle-smoke

go 1.22

require github.com/trustbundle/trustbundle v0.1.0
