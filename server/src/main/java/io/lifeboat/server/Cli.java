package io.lifeboat.server;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifeboat's command-line grammar: commands with {@code --name value} (or {@code --name=value})
 * options, flags and positional parameters, and their usage text. Written out rather than built by
 * a reflective library: picocli's model took ~0.2 s of every start, most of what a short store
 * command spends before it reads a byte (docs/benchmarks.md).
 */
final class Cli {
    private Cli() {
    }

    /** An option; {@code label} names its value ({@code <repo>}), null for a flag; {@code fallback} is its default. */
    record Option(String name, String label, String fallback, String help) {
        static Option value(String name, String label, String help) {
            return new Option(name, label, null, help);
        }

        static Option flag(String name, String help) {
            return new Option(name, null, null, help);
        }

        Option orElse(String fallback) {
            return new Option(name, label, fallback, help);
        }
    }

    /** What a command runs, given what its command line said. */
    interface Action {
        int run(Parsed args) throws Exception;
    }

    /**
     * A command: its name, a line on what it does, its positional parameters, options and action;
     * or a group ({@code lifeboat store}) whose first argument names one of its {@code commands}.
     */
    record Command(String name, String help, List<String> parameters, List<Option> options, Action action,
                   List<Command> commands) {
        Command(String name, String help, List<String> parameters, List<Option> options, Action action) {
            this(name, help, parameters, options, action, List.of());
        }

        static Command group(String name, String help, List<Command> commands) {
            return new Command(name, help, List.of(), List.of(), null, commands);
        }
    }

    /** Bad command-line input: reported with the command's usage and exit status 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /** What a command line said, checked against its command. */
    static final class Parsed {
        private final Command command;
        private final Map<String, String> values;
        private final List<String> parameters;

        private Parsed(Command command, Map<String, String> values, List<String> parameters) {
            this.command = command;
            this.values = values;
            this.parameters = parameters;
        }

        /** An option's value, its default when not given (null when it has none). */
        String get(String name) {
            return values.containsKey(name) ? values.get(name) : option(command, name).fallback();
        }

        String required(String name) {
            String v = get(name);
            if (v == null) {
                throw new UsageError("Missing required option: '" + name + "=" + option(command, name).label() + "'");
            }
            return v;
        }

        boolean flag(String name) {
            return values.containsKey(name);
        }

        String parameter(int index) {
            return parameters.get(index);
        }

        Path path(String name) {
            String v = get(name);
            return v == null ? null : Path.of(v);
        }

        int integer(String name) {
            return (int) Math.min(Integer.MAX_VALUE, number(name));
        }

        long number(String name) {
            return converted(name, Long::parseLong, "is not a whole number");
        }

        Duration duration(String name) {
            return converted(name, Duration::parse, "is not an ISO-8601 duration such as PT24H");
        }

        /** Null when the option is not given. */
        URI uri(String name) {
            return get(name) == null ? null : converted(name, URI::new, "is not a URL");
        }

        /** An option's value converted, or a usage error saying {@code why} it cannot be. */
        private <T> T converted(String name, Conversion<T> conversion, String why) {
            String v = get(name);
            try {
                return conversion.apply(v);
            } catch (Exception e) {
                throw new UsageError("Invalid value for option '" + name + "': '" + v + "' " + why);
            }
        }
    }

    private interface Conversion<T> {
        T apply(String value) throws Exception;
    }

    private static Option option(Command c, String name) {
        Option o = find(c, name);
        if (o == null) {
            throw new IllegalArgumentException(c.name() + " has no option " + name);
        }
        return o;
    }

    private static Option find(Command c, String name) {
        for (Option o : c.options()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    static Parsed parse(Command c, List<String> args) {
        Map<String, String> values = new HashMap<>();
        List<String> parameters = new ArrayList<>();
        boolean optionsEnd = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnd || !arg.startsWith("--")) {
                parameters.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnd = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option o = find(c, name);
            if (o == null) {
                throw new UsageError("Unknown option: '" + name + "'");
            }
            String value;
            if (o.label() == null) {
                if (eq >= 0) {
                    throw new UsageError("Option '" + name + "' takes no value");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageError("Missing value for option '" + name + "=" + o.label() + "'");
            }
            values.put(name, value);
        }
        if (parameters.size() < c.parameters().size()) {
            throw new UsageError("Missing required parameter: '" + c.parameters().get(parameters.size()) + "'");
        }
        if (parameters.size() > c.parameters().size()) {
            throw new UsageError("Unmatched argument: '" + parameters.get(c.parameters().size()) + "'");
        }
        return new Parsed(c, values, parameters);
    }

    /** The usage text of {@code c}, run as {@code prefix} (e.g. "lifeboat store"). */
    static String usage(String prefix, Command c) {
        StringBuilder b = new StringBuilder("Usage: ").append(prefix).append(' ').append(c.name());
        if (!c.options().isEmpty()) {
            b.append(" [options]");
        }
        c.parameters().forEach(p -> b.append(' ').append(p));
        b.append('\n').append(wrap(c.help(), 0)).append('\n');
        for (Option o : c.options()) {
            String left = o.label() == null ? o.name() : o.name() + "=" + o.label();
            String help = o.help() + (o.fallback() == null || o.fallback().isEmpty() ? ""
                    : " (default: " + o.fallback() + ")");
            b.append(String.format("  %-28s %s%n", left, wrap(help, 31)));
        }
        b.append(String.format("  %-28s %s%n", "-h, --help", "Show this help."));
        return b.toString();
    }

    /** {@code text} broken into lines of at most 100 columns, continuation lines indented by {@code indent}. */
    private static String wrap(String text, int indent) {
        StringBuilder b = new StringBuilder();
        int column = indent;
        for (String word : text.split(" ")) {
            if (column > indent && column + 1 + word.length() > 100) {
                b.append('\n').append(" ".repeat(indent));
                column = indent;
            } else if (column > indent) {
                b.append(' ');
                column++;
            }
            b.append(word);
            column += word.length();
        }
        return b.toString();
    }

    /** The usage of a group of commands ({@code lifeboat}, {@code lifeboat store}). */
    static String groupUsage(String prefix, String help, List<Command> commands) {
        StringBuilder b = new StringBuilder("Usage: ").append(prefix).append(" <command> [options]\n")
                .append(help).append("\nCommands:\n");
        commands.forEach(c -> b.append(String.format("  %-9s %s%n", c.name(), wrap(c.help(), 12))));
        return b.append("Run '").append(prefix).append(" <command> --help' for a command's options.\n").toString();
    }

    /**
     * Runs a command on its arguments: its usage on {@code --help}; a usage error with the usage
     * (status 2); a failure as one line naming what went wrong, never a stack trace (status 1).
     */
    static int execute(String prefix, Command c, List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(usage(prefix, c));
            return 0;
        }
        try {
            return c.action().run(parse(c, args));
        } catch (UsageError e) {
            err.println("lifeboat: " + e.getMessage());
            err.print(usage(prefix, c));
            return 2;
        } catch (NoSuchFileException e) {
            err.println("lifeboat: no such file or directory: " + e.getFile());
            return 1;
        } catch (Exception e) {
            err.println("lifeboat: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("lifeboat: out of memory in a " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap; a"
                    + " larger one lets it finish (LIFEBOAT_JAVA_OPTS=-Xmx1g ./lifeboat ...)");
            return 1;
        }
    }

    /**
     * Finds the command named by {@code args[0]} among {@code commands} and runs it (a group
     * dispatches the rest of the arguments among its own); group usage otherwise.
     */
    static int dispatch(String prefix, String help, List<Command> commands, List<String> args, PrintStream out,
                        PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            (args.isEmpty() ? err : out).print(groupUsage(prefix, help, commands));
            return args.isEmpty() ? 2 : 0;
        }
        for (Command c : commands) {
            if (c.name().equals(args.get(0))) {
                List<String> rest = args.subList(1, args.size());
                return c.commands().isEmpty() ? execute(prefix, c, rest, out, err)
                        : dispatch(prefix + " " + c.name(), c.help(), c.commands(), rest, out, err);
            }
        }
        err.println("lifeboat: unknown command '" + args.get(0) + "'");
        err.print(groupUsage(prefix, help, commands));
        return 2;
    }
}
