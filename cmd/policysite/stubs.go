package main

import (
	"errors"
	"io"
)

func cmdServe(args []string, stdout, stderr io.Writer) error { return errors.New("not yet") }
func cmdCheck(args []string, stdout, stderr io.Writer) error { return errors.New("not yet") }
func cmdNew(args []string, stdout, stderr io.Writer) error   { return errors.New("not yet") }
func cmdInit(args []string, stdout, stderr io.Writer) error  { return errors.New("not yet") }
