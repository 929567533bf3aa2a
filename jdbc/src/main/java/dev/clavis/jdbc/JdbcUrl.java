package dev.clavis.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a PostgreSQL JDBC URL may be shown: the host list and the database name, never the user
 * information before an {@code @} or the query string (the driver takes {@code password=} there).
 */
final class JdbcUrl {

  private static final String SCHEME = "jdbc:postgresql:";
  /** A JDBC URL inside a text (the driver manager's "No suitable driver found for URL", say). */
  // to the next whitespace: a password may hold brackets and quotes, so stopping at them would show its tail
  private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)jdbc:\\S*");
  /** A secret property written as name=value outside a URL. */
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)\\b([a-z_.]*(?:password|passwd|secret)[a-z_.]*=)[^\\s&;'\"]*");

  private JdbcUrl() {}

  /**
   * @param url a JDBC URL
   * @return the host list ({@code host:port}, or {@code localhost:5432} when the URL names none)
   */
  static String hostPort(String url) {
    String rest = afterScheme(url);
    if (rest == null || !rest.startsWith("//")) {
      return "localhost:5432";
    }
    String authority = rest.substring(2);
    int end = firstOf(authority, "/?");
    authority = authority.substring(0, end);
    int at = authority.lastIndexOf('@');
    authority = at >= 0 ? authority.substring(at + 1) : authority;
    return authority.isEmpty() ? "localhost:5432" : authority;
  }

  /**
   * @param url a JDBC URL
   * @return the database's name as the URL gives it (still percent-encoded), or "" when it names none
   */
  static String database(String url) {
    String rest = afterScheme(url);
    if (rest == null) {
      return "";
    }
    if (rest.startsWith("//")) {
      int slash = firstOf(rest.substring(2), "/?") + 2;
      rest = slash < rest.length() && rest.charAt(slash) == '/' ? rest.substring(slash + 1) : "";
    } else if (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    return rest.substring(0, firstOf(rest, "?"));
  }

  /**
   * @param url a JDBC URL
   * @return {@code host:port/database} for messages and approvals (the user's default database when the URL names none)
   */
  static String location(String url) {
    String d = database(url);
    return hostPort(url) + "/" + (d.isEmpty() ? "(the user's default database)" : d);
  }

  /**
   * @param text a driver's message, or null
   * @return it with every JDBC URL cut before its properties ({@code ?}, {@code ;}) and user
   *     information, and any {@code password=...} masked; null for null
   */
  static String redactIn(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = URL_IN_TEXT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(shown(m.group())));
    }
    m.appendTail(out);
    return SECRET_PARAM.matcher(out).replaceAll("$1***");
  }

  /** A URL as it may be shown: no properties, no user information. */
  private static String shown(String url) {
    String head = url.substring(0, firstOf(url, "?;&"));
    int slashes = head.indexOf("//");
    if (slashes >= 0) {
      int end = firstOf(head.substring(slashes + 2), "/") + slashes + 2;
      int at = head.lastIndexOf('@', end - 1);
      if (at > slashes) {
        head = head.substring(0, slashes + 2) + head.substring(at + 1);
      }
    }
    return head.length() < url.length() ? head + " (properties not shown)" : head;
  }

  private static String afterScheme(String url) {
    return url != null && url.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) ? url.substring(SCHEME.length()) : null;
  }

  private static int firstOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }
}
