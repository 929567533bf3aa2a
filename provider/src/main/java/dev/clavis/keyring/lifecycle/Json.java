package dev.clavis.keyring.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;

/** The little JSON the audit log needs: quoting strings, and parsing flat objects it wrote itself. */
final class Json {

  private Json() {}

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Parses an object of strings, integers and nested objects (RFC 8259 subset). */
  static Map<String, Object> parseObject(String s) {
    int[] pos = {0};
    Map<String, Object> m = object(s, pos, 0);
    skipWs(s, pos);
    if (pos[0] != s.length()) {
      throw error(s, pos);
    }
    return m;
  }

  /** Deeper nesting than Clavis ever writes is refused rather than recursed into. */
  private static final int MAX_DEPTH = 32;

  private static Map<String, Object> object(String s, int[] pos, int depth) {
    if (depth > MAX_DEPTH) {
      throw error(s, pos);
    }
    skipWs(s, pos);
    expect(s, pos, '{');
    Map<String, Object> m = new LinkedHashMap<>();
    skipWs(s, pos);
    if (peek(s, pos) == '}') {
      pos[0]++;
      return m;
    }
    while (true) {
      skipWs(s, pos);
      String k = string(s, pos);
      skipWs(s, pos);
      expect(s, pos, ':');
      skipWs(s, pos);
      m.put(k, value(s, pos, depth));
      skipWs(s, pos);
      char c = peek(s, pos);
      pos[0]++;
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw error(s, pos);
      }
    }
  }

  private static Object value(String s, int[] pos, int depth) {
    char c = peek(s, pos);
    if (c == '"') {
      return string(s, pos);
    }
    if (c == '{') {
      return object(s, pos, depth + 1);
    }
    int start = pos[0];
    while (pos[0] < s.length() && (Character.isDigit(s.charAt(pos[0])) || s.charAt(pos[0]) == '-')) {
      pos[0]++;
    }
    if (start == pos[0]) {
      throw error(s, pos);
    }
    return Long.parseLong(s.substring(start, pos[0]));
  }

  private static String string(String s, int[] pos) {
    expect(s, pos, '"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos[0] >= s.length()) {
        throw error(s, pos);
      }
      char c = s.charAt(pos[0]++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = peek(s, pos);
        pos[0]++;
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos[0] + 4 > s.length()) {
              throw error(s, pos);
            }
            sb.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
            pos[0] += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private static void skipWs(String s, int[] pos) {
    while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
      pos[0]++;
    }
  }

  private static char peek(String s, int[] pos) {
    if (pos[0] >= s.length()) {
      throw error(s, pos);
    }
    return s.charAt(pos[0]);
  }

  private static void expect(String s, int[] pos, char c) {
    if (peek(s, pos) != c) {
      throw error(s, pos);
    }
    pos[0]++;
  }

  private static IllegalArgumentException error(String s, int[] pos) {
    return new IllegalArgumentException("malformed JSON at offset " + pos[0]);
  }
}
