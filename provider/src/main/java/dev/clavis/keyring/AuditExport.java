package dev.clavis.keyring;

import java.io.IOException;
import java.io.Writer;

/**
 * The layout of {@link AuditLog#exportJsonArray}: the verification object, then each record
 * verbatim when the log verified, else each line as {@code {"raw":"<the line>"}}.
 */
final class AuditExport {

  /** The export format's version, the value of {@code clavisAuditExport}. */
  static final int FORMAT = 1;

  private AuditExport() {}

  /**
   * @param lines the log's records, one JSON object a line, as the log holds them
   * @param records how many records verified
   * @param error why verification failed, or null
   */
  static void write(Writer out, String lines, long records, String error) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("[{\"clavisAuditExport\":").append(FORMAT).append(",\"verification\":{\"verified\":")
        .append(error == null);
    if (error == null) {
      sb.append(",\"records\":").append(records);
    } else {
      sb.append(",\"error\":");
      quote(sb, error);
    }
    sb.append("}}");
    out.write(sb.toString());
    long written = 0;
    for (String line : lines.split("\n")) {
      if (line.isEmpty() || (error == null && written == records)) {
        continue; // a verified export ends at the last verified record
      }
      written++;
      out.write(",\n");
      if (error == null) {
        out.write(line); // a verified record is one JSON object: embedded as written, so its hash can be recomputed
      } else {
        // a log that failed may hold lines that are not JSON: each goes in as a string, so the array stays valid
        StringBuilder raw = new StringBuilder("{\"raw\":");
        quote(raw, line);
        out.write(raw.append('}').toString());
      }
    }
    out.write("\n]\n");
    out.flush();
  }

  // RFC 8259 §7
  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
