package main

import (
	"flag"
	"fmt"
)

// command returns the flag set of a command whose -h prints
// "Usage: newsbot SYNOPSIS", what it does (about) and its flags.
func (m *Main) command(name, synopsis, about string) *flag.FlagSet {
	fl := m.flagSet(name)
	fl.Usage = m.usageFunc(fl, synopsis, about)
	return fl
}

// usageFunc is command's usage printer, for flag sets built elsewhere.
func (m *Main) usageFunc(fl *flag.FlagSet, synopsis, about string) func() {
	return func() {
		w := fl.Output()
		fmt.Fprintf(w, "Usage: newsbot %s\n\n%s\n", synopsis, about)
		n := 0
		fl.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			fl.PrintDefaults()
		}
	}
}
