// Package policysite holds the built-in theme. It sits at the repository root
// because //go:embed cannot reach parent folders, and the example school at the
// root uses the very same layouts and static files it ships.
package policysite

import "embed"

// Theme is the built-in theme: layouts/ and static/. The all: prefix keeps
// files whose names start with "_" (_partials, _shortcodes, _default), which a
// plain pattern would silently drop.
//
//go:embed all:layouts all:static
var Theme embed.FS

// Example is the example school, copied out by `policysite init`.
//
//go:embed config.toml all:content all:quizzes
var Example embed.FS
