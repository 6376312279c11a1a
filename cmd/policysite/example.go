package main

import (
	"io/fs"

	"github.com/policysite/policysite"
)

func exampleFS() fs.FS { return policysite.Example }
