package org.rmsprop4j.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rmsprop4j} command line. Each sub-command lives in its own class. */
@Command(name = "rmsprop4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "RMSprop exactly as every major framework does it: conformance checks, training, pictures, benchmarks.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true"); // figures need no display
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError oom) {
            err.println("rmsprop4j: out of memory (the JVM may use at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); ask for less, or give it more with RMSPROP4J_JAVA_OPTS=-Xmx<size>");
            code = 2;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The command tree; sub-commands register here. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("conformance", new ConformanceCommand());
        cl.addSubcommand("bench", new BenchCommand());
        cl.addSubcommand("demo", new DemoCommand());
        cl.addSubcommand("train", new TrainCommand());
        cl.addSubcommand("plot", new PlotCommand());
        cl.addSubcommand("sweep", new SweepCommand());
        cl.addSubcommand("serve", new ServeCommand());
        cl.addSubcommand("state", new StateCommand());
        cl.setExecutionExceptionHandler(Main::handleException);
        cl.setParameterExceptionHandler(Main::handleUsageError);
        cl.setUsageHelpWidth(80);
        cl.setUsageHelpAutoWidth(false);
        return cl;
    }

    /**
     * A command line picocli cannot parse (unknown option, missing or malformed value): the error, any
     * "did you mean" suggestion, and one line on how to get help; exit code 2. Not the whole help.
     */
    static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
        }
        err.println("Run '" + name + " --help' for the options.");
        err.flush();
        return 2;
    }

    /** Bad input becomes one clear line on stderr and exit code 2, never a stack trace. */
    static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        String msg = describe(e);
        boolean userError = e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException || e instanceof CliException;
        cl.getErr().println("rmsprop4j " + cl.getCommandName() + ": " + msg);
        if (!userError) {
            cl.getErr().println("(internal error " + e.getClass().getName() + "; please report it)");
            if (System.getenv("RMSPROP4J_DEBUG") != null) e.printStackTrace(cl.getErr());
            return 3;
        }
        return 2;
    }

    /** A one-line description; file-system errors name the path and the reason, not only the path. */
    static String describe(Throwable e) {
        boolean wrapped = e instanceof java.io.UncheckedIOException && e.getCause() != null
                && String.valueOf(e.getMessage()).equals(e.getCause().toString());
        Throwable c = wrapped ? e.getCause() : e;
        if (c instanceof java.nio.file.FileSystemException fse) {
            String where = fse.getOtherFile() == null ? fse.getFile() : fse.getFile() + " -> " + fse.getOtherFile();
            return "cannot use " + where + ": " + org.rmsprop4j.internal.IoErrors.reason(fse);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The POM's version (from {@code version.properties}, filtered at build time). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"rmsprop4j " + version() + " (Java " + System.getProperty("java.version") + ")"}; }

        static String version() {
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                java.util.Properties p = new java.util.Properties();
                if (in != null) p.load(in);
                String v = p.getProperty("version");
                return v == null || v.startsWith("${") ? "unknown" : v;
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
