package dev.clavis.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * {@code --verbose} and {@code --debug}: Clavis's loggers ({@code dev.clavis}, reached through
 * {@link System.Logger}, whose default backend is java.util.logging) at {@code FINE}, one line a
 * record on stderr: {@code clavis: FINE dev.clavis.cli 12:00:01.234 opening file store ...}.
 * Only Clavis's loggers: the JDK's own loggers stay quiet.
 */
final class VerboseLogging {

  private static final Logger CLAVIS = Logger.getLogger("dev.clavis"); // held: JUL keeps loggers weakly

  private VerboseLogging() {}

  /**
   * Sends Clavis's log records at {@code level} and above to {@code err}, replacing what an earlier
   * run in this JVM installed.
   */
  static void enable(PrintStream err, Level level) {
    for (Handler h : CLAVIS.getHandlers()) {
      CLAVIS.removeHandler(h);
    }
    Handler h = new StreamHandler(err, new OneLine()) {
      /** Writes the record and flushes, so log lines and the error line keep their order. */
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }

      /** Flushes only: stderr belongs to the process, not to this handler. */
      @Override
      public synchronized void close() {
        flush();
      }
    };
    h.setLevel(level);
    CLAVIS.addHandler(h);
    CLAVIS.setLevel(level);
    CLAVIS.setUseParentHandlers(false);
  }

  /** Turns the logging of an earlier run in this JVM off again. */
  static void disable() {
    for (Handler h : CLAVIS.getHandlers()) {
      CLAVIS.removeHandler(h);
    }
    CLAVIS.setLevel(null);
    CLAVIS.setUseParentHandlers(true);
  }

  /** {@code clavis: LEVEL logger time message}, one line. */
  private static final class OneLine extends Formatter {
    /** @return the record as one line, line breaks in its message replaced */
    @Override
    public String format(LogRecord r) {
      return "clavis: " + r.getLevel() + " " + r.getLoggerName() + " "
          + LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + formatMessage(r).replaceAll("[\\r\\n]+", " ")
          + System.lineSeparator();
    }
  }
}
