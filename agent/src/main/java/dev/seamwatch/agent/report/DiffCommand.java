package dev.seamwatch.agent.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * The agent jar as a command: {@code java -jar seamwatch-agent.jar diff old.json new.json}. The
 * jar's {@code Main-Class} (the premain class, in the system class loader) calls {@link #run} in
 * the agent's class loader.
 *
 * <p>Exit status as diff(1): 0 when the reports do not differ, 1 when they do, 2 on trouble (a bad
 * file, bad arguments). With no arguments or {@code --help} it prints the usage and the version.
 */
public final class DiffCommand {

  static final String USAGE = "usage: java -jar seamwatch-agent.jar diff <old.json> <new.json>";

  public static final int SAME = 0;
  public static final int DIFFERENT = 1;
  public static final int TROUBLE = 2;

  private DiffCommand() {}

  /** For running from a class path; the jar goes through {@code SeamwatchPremain.main}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. Never throws. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0
          || args[0].equals("--help")
          || args[0].equals("-h")
          || args[0].equals("help")) {
        help(out);
        return SAME;
      }
      if (args[0].equals("--version")) {
        out.println("Seamwatch " + version());
        return SAME;
      }
      if (!args[0].equals("diff")) {
        err.println("seamwatch: unknown command \"" + args[0] + "\"");
        err.println(USAGE);
        return TROUBLE;
      }
      if (args.length != 3) {
        err.println("seamwatch diff: expected two report files, got " + (args.length - 1));
        err.println(USAGE);
        return TROUBLE;
      }
      ReportModel before;
      ReportModel after;
      try {
        before = read(args[1]);
        after = read(args[2]);
      } catch (CommandException e) {
        err.println("seamwatch diff: " + e.getMessage());
        return TROUBLE;
      }
      ReportDiff diff = ReportDiff.compare(before, after);
      out.println("--- " + args[1] + "  (" + describe(before) + ")");
      out.println("+++ " + args[2] + "  (" + describe(after) + ")");
      for (String line : diff.lines()) {
        out.println(line);
      }
      out.flush();
      return diff.isEmpty() ? SAME : DIFFERENT;
    } catch (Throwable t) {
      err.println("seamwatch: " + t);
      return TROUBLE;
    }
  }

  private static void help(PrintStream out) {
    out.println("Seamwatch " + version() + ": integration report tools");
    out.println(USAGE);
    out.println();
    out.println("  Compares two integration reports (seamwatch.report.file) and prints the");
    out.println("  integrations and operations that appeared, disappeared or changed: owner or");
    out.println("  tier, readiness findings, error rate up more than 5 points, p99 up more than");
    out.println("  50% and 10 ms, calls up or down tenfold, new anomaly types.");
    out.println("  Exit status: 0 no differences, 1 differences, 2 trouble.");
    out.println();
    out.println("As an agent: java -javaagent:seamwatch-agent.jar -jar your-service.jar");
  }

  private static String describe(ReportModel report) {
    return report.service()
        + ", generated "
        + JsonReport.time(report.generatedAtMillis())
        + ", "
        + report.integrations().size()
        + " integration(s), "
        + report.calls()
        + " call(s)";
  }

  private static ReportModel read(String file) throws CommandException {
    Path path;
    try {
      path = Paths.get(file);
    } catch (RuntimeException e) {
      throw new CommandException(file + ": not a file name");
    }
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return JsonReport.read(in);
    } catch (NoSuchFileException e) {
      throw new CommandException(file + ": no such file");
    } catch (ReportFormatException e) {
      throw new CommandException(file + ": " + e.getMessage());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CommandException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new CommandException(file + ": " + FileProblems.reason(e));
    }
  }

  /** The agent's version, from the resource the build writes it into. */
  static String version() {
    try (InputStream in =
        DiffCommand.class.getResourceAsStream("/dev/seamwatch/agent/version.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** A file the command cannot read as a report; its message is the line to print. */
  private static final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandException(String message) {
      super(message);
    }
  }
}
