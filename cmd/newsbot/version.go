package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// buildInfo is what the binary knows of its build.
type buildInfo struct {
	Version  string // the module version, "(devel)" for a build from a checkout
	Revision string // the VCS revision, "" when unknown
	Time     string // the revision's commit time (RFC 3339)
	Modified bool   // the working tree had changes
	Go       string
}

// readBuildInfo reads the build from runtime/debug.
func readBuildInfo() buildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return buildInfo{Version: "(unknown)"}
	}
	return buildInfoFrom(bi)
}

func buildInfoFrom(bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: bi.Main.Version, Go: bi.GoVersion}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String is the build in one line: "newsbot v1.2.0 (revision 0123abcd…,
// 2026-12-01T10:00:00Z, modified), go1.26.8".
func (b buildInfo) String() string {
	s := "newsbot " + b.Version
	var vcs []string
	if b.Revision != "" {
		vcs = append(vcs, "revision "+b.Revision[:min(12, len(b.Revision))])
	}
	if b.Time != "" {
		vcs = append(vcs, b.Time)
	}
	if b.Modified {
		vcs = append(vcs, "modified")
	}
	if len(vcs) > 0 {
		s += " (" + strings.Join(vcs, ", ") + ")"
	}
	if b.Go != "" {
		s += ", " + b.Go
	}
	return s
}

// versionText is what --version, -v and version print.
func versionText(b buildInfo) string { return b.String() }

func (m *Main) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "version",
		Short:             "The version and build of newsbot",
		Long:              "Prints the module version, the VCS revision and its time, whether the tree was modified,\nand the Go version of the build (the same as --version).",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(m.Stdout, versionText(readBuildInfo()))
			return err
		},
	}
}
