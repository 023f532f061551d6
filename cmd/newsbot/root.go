package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// globalFlags are the flags of every command, given before or after it.
type globalFlags struct {
	config, data, logFormat string
	verbose                 bool
}

// Run runs one command line (without the program name) through the
// command tree. A failure is reported on stderr (ask --json: on stdout)
// before Run returns it as an exitStatus that carries the exit code of
// the table in README, "Exit status".
func (m *Main) Run(ctx context.Context, args []string) error {
	m.args = args
	root := m.rootCmd()
	root.SetArgs(args)
	root.SetIn(m.Stdin)
	root.SetOut(m.Stdout)
	root.SetErr(m.Stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return nil
	}
	return m.fail(cmd, args, err)
}

// rootCmd builds the command tree: one definition gives dispatch, flags
// (interspersed with arguments), help, shell completion and --version.
func (m *Main) rootCmd() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:   "newsbot",
		Short: "newsbot answers questions about ingested news with verbatim, cited quotes.",
		Long: "newsbot answers questions about ingested news with verbatim, cited quotes.\n\n" +
			"Start with `newsbot chat`: the bundled sample news is ingested on first use.",
		Version: versionText(readBuildInfo()),
		// A command is needed: the root only reports what is wrong.
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"no command given"}
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
			}
			return usageError{msg}
		},
		RunE:              func(*cobra.Command, []string) error { return nil },
		SilenceErrors:     true,
		SilenceUsage:      true,
		ValidArgsFunction: cobra.NoFileCompletions,
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			return m.setup(c, g)
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetVersionTemplate("{{.Version}}\n")
	// The root runs no command of its own: its usage shows the commands only.
	root.SetUsageTemplate(strings.Replace(root.UsageTemplate(), "{{if .Runnable}}", "{{if and .Runnable (not .HasAvailableSubCommands)}}", 1))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.CompletionOptions.DisableDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVarP(&g.config, "config", "c", "", "TOML config `file` (default: $NEWSBOT_CONFIG)")
	pf.StringVar(&g.data, "data", "", "data `dir` (overrides the config; default: $NEWSBOT_DATA_DIR, else $XDG_DATA_HOME/newsbot)")
	pf.BoolVar(&g.verbose, "verbose", false, "log at debug level")
	pf.StringVar(&g.logFormat, "log-format", "", "log line `format`: json|text|human (default: human on a terminal, text elsewhere)")
	_ = root.MarkPersistentFlagFilename("config", "toml")
	_ = root.MarkPersistentFlagDirname("data")
	_ = root.RegisterFlagCompletionFunc("log-format", fixedValues("json", "text", "human"))

	root.AddGroup(&cobra.Group{ID: "use", Title: "Commands:"}, &cobra.Group{ID: "lab", Title: "Measuring:"})
	for _, c := range []*cobra.Command{m.chatCmd(), m.askCmd(), m.ingestCmd(), m.statsCmd(), m.articlesCmd(),
		m.rmCmd(), m.exportCmd(), m.feedsCmd(), m.followCmd(), m.followsCmd(), m.serveCmd()} {
		c.GroupID = "use"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{m.evalCmd(), m.benchCmd()} {
		c.GroupID = "lab"
		root.AddCommand(c)
	}
	root.AddCommand(m.completionCmd(), m.versionCmd())
	root.SetHelpCommandGroupID("")
	return root
}

// setup loads the configuration and the logger for the command c, before
// it runs. The commands that need neither (completion, version, help)
// skip it.
func (m *Main) setup(c *cobra.Command, g globalFlags) error {
	switch c.Name() {
	case "completion", "version", "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return nil
	}
	if g.logFormat != "" && !validLogFormat(g.logFormat) {
		return usageError{fmt.Sprintf("--log-format %q: use json, text or human", g.logFormat)}
	}
	path := g.config
	if path == "" {
		path = m.Getenv("NEWSBOT_CONFIG")
	}
	cfg, err := loadConfig(path, m.Getenv)
	if err != nil {
		return configError{err}
	}
	m.defaultData = cfg.DataDir == defaultDataDir(m.Getenv)
	if g.data != "" {
		cfg.DataDir = g.data
		m.defaultData = false
	}
	if g.logFormat != "" {
		cfg.LogFormat = g.logFormat
	}
	m.Config = cfg
	m.Log = m.logger(c.Name(), g.verbose)
	return nil
}

// noArgs is the Args of a command that takes flags only.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("%s takes no arguments, got %q", c.Name(), args[0])}
	}
	return nil
}

// fixedValues completes a flag from a fixed list of words.
func fixedValues(words ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// fail reports err, which ended command c, and returns it as the
// exitStatus that README's table gives its kind. Usage mistakes get one
// line and a hint, never the whole usage; ask --json reports every failure
// as its {"error": {"message", "code"}} object on stdout.
func (m *Main) fail(c *cobra.Command, args []string, err error) error {
	var es exitStatus
	if errors.As(err, &es) {
		return err // already reported
	}
	f := classify(err)
	if m.Log != nil {
		m.Log.Debug("command failed", "command", c.Name(), "code", f.code, "err", err)
	}
	if c.Name() == "ask" && wantsJSON(c, args) {
		if _, werr := m.Stdout.Write(marshalError(f)); werr != nil {
			return werr
		}
		return exitStatus{code: f.status, err: err}
	}
	if errors.Is(err, errReported) {
		return exitStatus{code: f.status, err: err}
	}
	fmt.Fprintln(m.Stderr, "newsbot:", f.msg)
	if f.status == exitUsage {
		fmt.Fprintf(m.Stderr, "Run '%s --help' for usage.\n", c.CommandPath())
	}
	return exitStatus{code: f.status, err: err}
}

// wantsJSON reports whether ask was asked for JSON: by its parsed flag, or,
// when the flags could not be parsed, by the raw arguments.
func wantsJSON(c *cobra.Command, args []string) bool {
	if f := c.Flags().Lookup("json"); f != nil && f.Changed {
		return f.Value.String() == "true"
	}
	return slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "--json=true" })
}
