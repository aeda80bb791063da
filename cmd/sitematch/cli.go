package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"sitematch/matching"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command failed (I/O, broken input data)
	exitUsage = 2 // invalid arguments or invalid input
)

// env carries a command's standard streams.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(e env, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"info":      {"layer counts, data version and sources of the embedded catalogue", runInfo},
		"import":    {"rebuild the snapshot from upstream open-data files", runImport},
		"match":     {"rank candidate sites for a project (JSON file)", runMatch},
		"shortlist": {"the two sites a région should promote for a set of sectors", runShortlist},
		"keys":      {"create, list and revoke the registry's API keys", runKeys},
		"registry":  {"import sites into the registry (CNIG, GeoJSON, CSV, GeoPackage)", runRegistry},
		"serve":     {"serve the HTTP API, OGC API Features and OpenAPI until SIGTERM", runServe},
	}
}

// run dispatches to a subcommand and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{ctx, stdin, stdout, stderr}
	cmds := commands()
	if len(args) == 0 {
		usage(stderr, cmds)
		return exitUsage
	}
	if args[0] == "help" && len(args) > 1 { // "sitematch help match" is "sitematch match -h"
		if c, ok := cmds[args[1]]; ok {
			return c.run(e, append(args[2:], "-h"))
		}
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, cmds)
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sitematch: unknown command %q\n", args[0])
		usage(stderr, cmds)
		return exitUsage
	}
	return c.run(e, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "sitematch ranks candidate industrial locations in France for a project.")
	fmt.Fprintln(w, "\nUsage: sitematch <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"sitematch <command> -h\" (or \"sitematch help <command>\") for a command's flags.")
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: sitematch %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags wherever they stand among the arguments
// (`match project.json --json` as well as `match --json project.json`);
// after "--" every argument is positional. It returns the exit status to
// use when parsing ends the command (help asked, or a bad flag).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, false
			}
			return exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	// A leading "--" stops the flag set at once and leaves exactly the
	// positional arguments in fs.Args().
	if err := fs.Parse(append([]string{"--"}, positional...)); err != nil {
		return exitUsage, false
	}
	return 0, true
}

// usageError prints what is wrong with the command line, then the
// command's synopsis line, and returns the usage status.
func usageError(e env, fs *flag.FlagSet, cmd, msg string) int {
	fmt.Fprintf(e.stderr, "sitematch %s: %s\n", cmd, msg)
	fmt.Fprintf(e.stderr, "Run \"sitematch %s -h\" for its flags.\n", cmd)
	return exitUsage
}

// invalidFlags prints every invalid field of a *matching.ValidationError
// under the flag that set it (flags maps a field, "kinds" for "kinds[2]",
// to its flag) and returns the usage status; another error is a failure.
func invalidFlags(e env, cmd string, err error, flags map[string]string) int {
	var ve *matching.ValidationError
	if !errors.As(err, &ve) {
		fmt.Fprintf(e.stderr, "sitematch %s: %v\n", cmd, err)
		return exitError
	}
	for _, f := range ve.Fields {
		name, _, _ := strings.Cut(f.Field, "[")
		if flag, ok := flags[name]; ok {
			name = flag
		} else {
			name = f.Field
		}
		fmt.Fprintf(e.stderr, "sitematch %s: %s: %s\n", cmd, name, f.Message)
	}
	return exitUsage
}
