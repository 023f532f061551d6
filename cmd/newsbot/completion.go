package main

import (
	"fmt"
	"strings"
)

// cmdSpec is a command as shell completion knows it. Each flag is "name"
// (a switch), "name=file", "name=dir", "name=" (any value) or
// "name=a|b|c" (one of those words). TestCompletionMatchesFlags keeps this
// table in step with the commands' real flags.
type cmdSpec struct {
	name, about string
	flags       []string
	args        string // "files", "shells" or "" (nothing to complete)
}

var cmdSpecs = []cmdSpec{
	{"chat", "interactive chat", nil, ""},
	{"ask", "answer one question", []string{"json"}, ""},
	{"ingest", "ingest files, directories, feeds or pages", []string{"feeds", "seeds"}, "files"},
	{"stats", "what is stored, and where", nil, ""},
	{"articles", "the stored articles, newest first", []string{"source=", "since=", "json"}, ""},
	{"rm", "remove articles", []string{"source=", "before=", "yes"}, ""},
	{"export", "print stored articles as JSON Lines", []string{"id="}, ""},
	{"feeds", "the configured feeds", nil, ""},
	{"serve", "run the Telegram and Discord bots and poll feeds", nil, ""},
	{"eval", "measure answer quality on a QA set", []string{"docs=file", "questions=file", "unanswerable=file",
		"json", "k=", "mode=hybrid|dense|keyword", "threshold=", "sweep", "limit=", "misses", "dense-weight=", "cache=dir",
		"also=", "fit=file", "folds=", "lambda=", "min-answered=", "per-article"}, ""},
	{"bench", "measure ingest and query speed", []string{"corpus=file", "scale=", "limit=", "queries=", "json", "dir=dir"}, ""},
	{"completion", "shell completion script", nil, "shells"},
	{"help", "list the commands", nil, ""},
}

// globalFlags come before the command.
var globalFlags = []string{"config=file", "data=dir", "verbose", "log-format=json|text|human"}

// splitFlag returns a flag's name and what its value is ("" for a switch).
func splitFlag(f string) (name, value string, takesValue bool) {
	name, value, takesValue = strings.Cut(f, "=")
	return
}

func (m *Main) runCompletion(args []string) error {
	fl := m.command("completion", "completion bash|zsh|fish", "Prints a shell completion script for commands, flags and their values. Load it with\n  bash: source <(newsbot completion bash)        (or save it in ~/.local/share/bash-completion/completions/newsbot)\n  zsh:  source <(newsbot completion zsh)         (in ~/.zshrc, after compinit)\n  fish: newsbot completion fish > ~/.config/fish/completions/newsbot.fish")
	if help, err := parseFlags(fl, args); help || err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return usageError{"completion: name one shell: bash, zsh or fish"}
	}
	var script string
	switch fl.Arg(0) {
	case "bash":
		script = bashCompletion()
	case "zsh":
		script = "# zsh completion for newsbot, through zsh's bash completion support.\n" +
			"# Load it in ~/.zshrc, after compinit: source <(newsbot completion zsh)\n" +
			"autoload -U +X bashcompinit && bashcompinit\n" + bashCompletion()
	case "fish":
		script = fishCompletion()
	default:
		return usageError{fmt.Sprintf("completion: %q is not a shell newsbot knows; use bash, zsh or fish", fl.Arg(0))}
	}
	_, err := fmt.Fprint(m.Stdout, script)
	return err
}

// bashCompletion is the bash script: it finds the command word (skipping
// global flags and their values), then completes flags, flag values or
// arguments for it.
func bashCompletion() string {
	var b strings.Builder
	valueCase := func(flags []string) {
		for _, f := range flags {
			name, v, ok := splitFlag(f)
			if !ok {
				continue
			}
			fmt.Fprintf(&b, "\t\t--%s|-%s) ", name, name)
			switch v {
			case "file":
				b.WriteString("COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n")
			case "dir":
				b.WriteString("COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n")
			case "":
				b.WriteString("COMPREPLY=() ;;\n")
			default:
				fmt.Fprintf(&b, "COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", strings.ReplaceAll(v, "|", " "))
			}
		}
	}
	var names []string
	for _, c := range cmdSpecs {
		names = append(names, c.name)
	}
	b.WriteString("# bash completion for newsbot. Load it with: source <(newsbot completion bash)\n")
	b.WriteString("_newsbot() {\n\tlocal cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" i\n")
	b.WriteString("\tfor ((i = 1; i < COMP_CWORD; i++)); do\n\t\tcase \"${COMP_WORDS[i]}\" in\n")
	var valued []string
	for _, f := range globalFlags {
		if name, _, ok := splitFlag(f); ok {
			valued = append(valued, "--"+name, "-"+name)
		}
	}
	fmt.Fprintf(&b, "\t\t%s) ((i++)) ;;\n\t\t-*) ;;\n\t\t*) cmd=\"${COMP_WORDS[i]}\"; break ;;\n\t\tesac\n\tdone\n", strings.Join(valued, "|"))
	b.WriteString("\tif [[ -z $cmd ]]; then\n\t\tcase \"$prev\" in\n")
	valueCase(globalFlags)
	b.WriteString("\t\t*)\n\t\t\tif [[ $cur == -* ]]; then\n")
	fmt.Fprintf(&b, "\t\t\t\tCOMPREPLY=($(compgen -W %q -- \"$cur\"))\n", flagWords(globalFlags))
	fmt.Fprintf(&b, "\t\t\telse\n\t\t\t\tCOMPREPLY=($(compgen -W %q -- \"$cur\"))\n\t\t\tfi ;;\n\t\tesac\n\t\treturn\n\tfi\n", strings.Join(names, " "))
	b.WriteString("\tcase \"$cmd\" in\n")
	for _, c := range cmdSpecs {
		fmt.Fprintf(&b, "\t%s)\n\t\tcase \"$prev\" in\n", c.name)
		valueCase(c.flags)
		b.WriteString("\t\t*)\n")
		if len(c.flags) > 0 {
			fmt.Fprintf(&b, "\t\t\tif [[ $cur == -* ]]; then\n\t\t\t\tCOMPREPLY=($(compgen -W %q -- \"$cur\"))\n\t\t\t\treturn\n\t\t\tfi\n", flagWords(c.flags))
		}
		switch c.args {
		case "files":
			b.WriteString("\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\")) ;;\n")
		case "shells":
			b.WriteString("\t\t\tCOMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")) ;;\n")
		default:
			b.WriteString("\t\t\tCOMPREPLY=() ;;\n")
		}
		b.WriteString("\t\tesac ;;\n")
	}
	b.WriteString("\tesac\n}\ncomplete -o filenames -F _newsbot newsbot\n")
	return b.String()
}

// flagWords returns the flags as "--a --b" for compgen.
func flagWords(flags []string) string {
	w := make([]string, len(flags))
	for i, f := range flags {
		name, _, _ := splitFlag(f)
		w[i] = "--" + name
	}
	return strings.Join(w, " ")
}

// fishCompletion is the fish script: commands with their descriptions,
// then each command's flags.
func fishCompletion() string {
	var b strings.Builder
	b.WriteString("# fish completion for newsbot. Save it as ~/.config/fish/completions/newsbot.fish\n")
	b.WriteString("complete -c newsbot -f\n")
	var names []string
	for _, c := range cmdSpecs {
		names = append(names, c.name)
	}
	noCmd := "not __fish_seen_subcommand_from " + strings.Join(names, " ")
	fishFlags(&b, noCmd, globalFlags)
	for _, c := range cmdSpecs {
		fmt.Fprintf(&b, "complete -c newsbot -n %q -a %s -d %q\n", noCmd, c.name, c.about)
	}
	for _, c := range cmdSpecs {
		cond := "__fish_seen_subcommand_from " + c.name
		fishFlags(&b, cond, c.flags)
		switch c.args {
		case "files":
			fmt.Fprintf(&b, "complete -c newsbot -n %q -F\n", cond)
		case "shells":
			fmt.Fprintf(&b, "complete -c newsbot -n %q -a \"bash zsh fish\"\n", cond)
		}
	}
	return b.String()
}

func fishFlags(b *strings.Builder, cond string, flags []string) {
	for _, f := range flags {
		name, v, ok := splitFlag(f)
		fmt.Fprintf(b, "complete -c newsbot -n %q -l %s", cond, name)
		switch {
		case !ok:
		case v == "file" || v == "dir":
			b.WriteString(" -r -F")
		case v == "":
			b.WriteString(" -x")
		default:
			fmt.Fprintf(b, " -x -a %q", strings.ReplaceAll(v, "|", " "))
		}
		b.WriteString("\n")
	}
}
