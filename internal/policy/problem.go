package policy

import "fmt"

// Severity says whether a problem stops publication (Error) or is advice (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Problem is one thing wrong with a site's sources, tied to a file and line so
// that someone who is not a programmer can open the file and fix it.
type Problem struct {
	File     string
	Line     int // 1-based; 0 when the problem is about the whole file
	Severity Severity
	Message  string
}

// String formats the problem the way compilers do, so editors can jump to it:
// "content/policies/online-safety.md:12: error: message".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Severity, p.Message)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Severity, p.Message)
}

func errorf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)}
}

func warnf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)}
}
