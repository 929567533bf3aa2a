package dev.clavis.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The types compiled classes refer to, read from their constant pools. Every type a class uses
 * (in code, signatures, field types, annotations, generic signatures) is named there, either as a
 * {@code CONSTANT_Class} entry or inside a descriptor string; both are {@code CONSTANT_Utf8}
 * entries, so scanning the UTF-8 entries for internal names finds them all. Used by the
 * package-layering tests; a test-only reader, not a general class-file parser.
 */
public final class ClassDependencies {

  private static final Pattern TYPE = Pattern.compile("dev/clavis/[A-Za-z0-9_/$]+");

  private ClassDependencies() {}

  /**
   * The root of the compiled classes that hold {@code anchor}.
   *
   * @param anchor any class of the tree
   * @return the class-path root (a directory under {@code target/})
   * @throws IllegalStateException if the classes are not in a directory
   */
  public static Path classesRoot(Class<?> anchor) {
    try {
      Path p = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(p)) {
        throw new IllegalStateException("classes of " + anchor.getName() + " are not in a directory: " + p);
      }
      return p;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * For each class under {@code root} whose package starts with {@code prefix} (a dotted name),
   * the {@code dev.clavis} classes it refers to, other than itself.
   *
   * @param root a class-path root
   * @param prefix a dotted package prefix, e.g. {@code dev.clavis}
   * @return class name (dotted, nested classes with {@code $}) to the dotted names it refers to
   * @throws UncheckedIOException if a class file cannot be read or is malformed
   */
  public static Map<String, Set<String>> of(Path root, String prefix) {
    Path dir = root.resolve(prefix.replace('.', '/'));
    Map<String, Set<String>> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        String self = rel.substring(0, rel.length() - ".class".length());
        if (self.endsWith("module-info") || self.endsWith("package-info")) {
          continue;
        }
        Set<String> refs = new TreeSet<>();
        for (String utf8 : utf8Constants(Files.readAllBytes(f))) {
          Matcher m = TYPE.matcher(utf8);
          while (m.find()) {
            String t = m.group();
            if (!t.equals(self) && t.lastIndexOf('/') > 0) {
              refs.add(t.replace('/', '.'));
            }
          }
        }
        out.put(self.replace('/', '.'), refs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the classes under " + dir, e);
    }
    return out;
  }

  /**
   * The package of a dotted class name.
   *
   * @param className a dotted class name
   * @return its package
   */
  public static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  /**
   * The top-level class of a dotted class name ({@code a.B$C} is {@code a.B}).
   *
   * @param className a dotted class name
   * @return the outermost class
   */
  public static String topLevel(String className) {
    int d = className.indexOf('$');
    return d < 0 ? className : className.substring(0, d);
  }

  /**
   * Package to the packages its classes refer to (itself excluded).
   *
   * @param classes as returned by {@link #of}
   * @return the package graph
   */
  public static Map<String, Set<String>> packageGraph(Map<String, Set<String>> classes) {
    Map<String, Set<String>> g = new TreeMap<>();
    classes.forEach((c, refs) -> {
      String p = packageOf(c);
      Set<String> to = g.computeIfAbsent(p, k -> new TreeSet<>());
      for (String r : refs) {
        String q = packageOf(r);
        if (!q.equals(p)) {
          to.add(q);
        }
      }
    });
    return g;
  }

  /**
   * The cycles of a directed graph: its strongly connected components of more than one node
   * (Tarjan's algorithm; the graphs here have a dozen nodes).
   *
   * @param graph node to the nodes it points to
   * @return each cycle as the sorted set of its nodes; empty if the graph is acyclic
   */
  public static java.util.List<Set<String>> cycles(Map<String, Set<String>> graph) {
    java.util.List<Set<String>> out = new java.util.ArrayList<>();
    Map<String, Integer> index = new java.util.HashMap<>();
    Map<String, Integer> low = new java.util.HashMap<>();
    java.util.Deque<String> stack = new java.util.ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        strongConnect(v, graph, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void strongConnect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, java.util.Deque<String> stack, Set<String> onStack,
      java.util.List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        strongConnect(w, graph, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> scc = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        scc.add(w);
      } while (!w.equals(v));
      if (scc.size() > 1) {
        out.add(scc);
      }
    }
  }

  /**
   * The UTF-8 constants of a class file other than the values of string literals (a literal such
   * as the resource path {@code "/dev/clavis/hd/english.txt"} names no class).
   */
  static Set<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    Map<Integer, String> utf8 = new TreeMap<>();
    Set<Integer> literals = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8.put(i, in.readUTF());
        case 8 -> literals.add(in.readUnsignedShort());
        case 7, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant-pool tag " + tag + " at entry " + i);
      }
    }
    literals.forEach(utf8::remove);
    return new TreeSet<>(utf8.values());
  }
}
