package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --export}, {@code --json} and {@code --verify --json} read by an independent JSON
 * library (Jackson), and the hash chain checked by an implementation written here from
 * docs/audit.md alone: re-serialize each parsed record canonically, hash it, compare with the next
 * record's {@code prev}. The log starts with format-1 records written by the base code (resource
 * {@code audit/}) and continues in format 2, written by the CLI under test as a real process.
 */
class AuditExportIndependentCheckTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;
  private InProcess cli;
  private String store;

  @BeforeEach
  void copyFixture() throws Exception {
    for (String f : new String[] {"base.store", "base.store.audit", "base.store.audit.head", "payments.env"}) {
      try (InputStream in = getClass().getResourceAsStream("/audit/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    store = dir.resolve("base.store").toString();
    cli = new InProcess(Map.of("CLAVIS_PASSWORD", "fixture-pw"));
  }

  private CliProcess.Result ok(byte[] in, String... args) {
    CliProcess.Result r = cli.run(in, args);
    assertEquals(0, r.exit, () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  // ------------------------------------------------ the independent implementation (docs/audit.md)

  /** The canonical text of a string (docs/audit.md, "Canonical text"). */
  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** body_i: the record's members in the documented order, without {@code mac}. */
  static String body(JsonNode r) {
    boolean v2 = r.has("v");
    List<String> order = v2 ? List.of("seq", "v", "gen", "time", "actor", "action", "key", "details", "prev")
        : List.of("seq", "gen", "time", "action", "key", "details", "prev");
    int expectedMembers = order.size() + 1; // + mac
    assertEquals(expectedMembers, r.size(), "members of " + r);
    StringBuilder sb = new StringBuilder("{");
    for (String m : order) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(sb, m);
      sb.append(':');
      JsonNode n = r.get(m);
      assertNotNull(n, m + " missing in " + r);
      if (m.equals("details")) {
        sb.append('{');
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        boolean first = true;
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(sb, e.getKey());
          sb.append(':');
          quote(sb, e.getValue().textValue());
        }
        sb.append('}');
      } else if (n.isIntegralNumber()) {
        sb.append(n.longValue());
      } else {
        quote(sb, n.textValue());
      }
    }
    return sb.append('}').toString();
  }

  /** Checks seq and the chain of {@code records}; returns null if intact, else what broke. */
  static String checkChain(List<JsonNode> records) throws Exception {
    byte[] prev = new byte[32];
    long seq = 1;
    for (JsonNode r : records) {
      if (r.get("seq").longValue() != seq) {
        return "record " + seq + ": seq " + r.get("seq");
      }
      if (!HEX.formatHex(prev).equals(r.get("prev").textValue())) {
        return "record " + seq + " does not chain to record " + (seq - 1);
      }
      if (!r.get("mac").textValue().matches("[0-9a-f]{64}")) {
        return "record " + seq + ": mac is not 64 hex digits";
      }
      prev = MessageDigest.getInstance("SHA-256").digest(body(r).getBytes(StandardCharsets.UTF_8));
      seq++;
    }
    return null;
  }

  private static List<JsonNode> records(JsonNode export) {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (int i = 1; i < export.size(); i++) {
      out.add(export.get(i));
    }
    return out;
  }

  // ------------------------------------------------ tests

  private JsonNode exportAfterUse() throws Exception {
    ok((byte[]) null, "--store", store, "--actor", "auditor \"quoted\" ü\\", "create", "after");
    ok("plain".getBytes(StandardCharsets.UTF_8), "--store", store, "encrypt", "after");
    ok(Files.readAllBytes(dir.resolve("payments.env")), "--store", store, "--audit-decrypts", "decrypt");
    Path out = dir.resolve("export.json");
    CliProcess.Result r = ok((byte[]) null, "--store", store, "audit", "--export", out.toString());
    assertTrue(r.out().contains("verified"), r.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    return JSON.readTree(out.toFile());
  }

  @Test
  void export_isOneJsonArray_whoseChainAnIndependentImplementationVerifies() throws Exception {
    JsonNode export = exportAfterUse();
    assertTrue(export.isArray());
    JsonNode head = export.get(0);
    assertEquals(1, head.get("clavisAuditExport").intValue());
    assertTrue(head.get("verification").get("verified").booleanValue(), head.toString());
    List<JsonNode> recs = records(export);
    assertEquals(recs.size(), head.get("verification").get("records").intValue());
    assertNull(checkChain(recs));
    // format 1 (the base code's 9 records) then format 2 with actors
    for (int i = 0; i < 9; i++) {
      assertFalse(recs.get(i).has("actor"), recs.get(i).toString());
    }
    JsonNode created = recs.stream().filter(r -> r.get("action").textValue().equals("create")
        && r.get("key").textValue().equals("after#1")).findFirst().orElseThrow();
    assertEquals(2, created.get("v").intValue());
    assertEquals("auditor \"quoted\" ü\\", created.get("actor").textValue());
    JsonNode decrypt = recs.stream().filter(r -> r.get("action").textValue().equals("decrypt")).findFirst().orElseThrow();
    assertEquals("payments#1", decrypt.get("key").textValue());
    assertEquals(System.getProperty("user.name"), decrypt.get("actor").textValue());
    assertTrue(recs.stream().anyMatch(r -> r.get("action").textValue().equals("usage")
        && r.get("key").textValue().equals("after#1") && "1".equals(r.get("details").path("encryptions").textValue())),
        "an aggregate of the encryption");
  }

  @Test
  void independentCheck_catchesAnEditedRecord_soItIsARealCheck() throws Exception {
    JsonNode export = exportAfterUse();
    List<JsonNode> recs = records(export);
    ((ObjectNode) recs.get(4).get("details")).put("reason", "rotated by nobody");
    assertEquals("record 6 does not chain to record 5", checkChain(recs));
  }

  @Test
  void exportOfATamperedLog_saysItDoesNotVerify_staysValidJson_andExitsOne() throws Exception {
    Path log = dir.resolve("base.store.audit");
    // record 5, inside the chain (the last record is checked at every open, so that edit would stop the open)
    String text = Files.readString(log).replace("\"reason\":\"rotated to #2\"", "\"reason\":\"nothing happened\"");
    Files.writeString(log, text);
    Path out = dir.resolve("bad.json");
    CliProcess.Result r = cli.run((byte[]) null, "--store", store, "audit", "--export", out.toString());
    assertEquals(1, r.exit, r.toString());
    JsonNode export = JSON.readTree(out.toFile());
    JsonNode v = export.get(0).get("verification");
    assertFalse(v.get("verified").booleanValue());
    assertTrue(v.get("error").textValue().contains("record"), v.toString());
    assertTrue(export.get(1).get("raw").textValue().startsWith("{\"seq\":1,"));
  }

  @Test
  void export_neverOverwritesAFile() throws Exception {
    Path out = dir.resolve("exists.json");
    Files.writeString(out, "keep");
    CliProcess.Result r = cli.run((byte[]) null, "--store", store, "audit", "--export", out.toString());
    assertNotEquals(0, r.exit);
    assertTrue(r.stderr.contains("never overwrites"), r.stderr);
    assertEquals("keep", Files.readString(out));
  }

  @Test
  void jsonLines_andVerifyJson_parseWithAnIndependentLibrary() throws Exception {
    ok((byte[]) null, "--store", store, "create", "k2");
    String lines = ok((byte[]) null, "--store", store, "audit", "--json").out();
    List<JsonNode> recs = new java.util.ArrayList<>();
    for (String l : lines.split("\n")) {
      recs.add(JSON.readTree(l));
    }
    assertNull(checkChain(recs));
    JsonNode v = JSON.readTree(ok((byte[]) null, "--store", store, "audit", "--verify", "--json").out());
    assertTrue(v.get("verified").booleanValue());
    assertEquals(recs.size(), v.get("records").intValue());

    Files.writeString(dir.resolve("base.store.audit"),
        Files.readString(dir.resolve("base.store.audit")).replace("\"reason\":\"rotated to #2\"", "\"reason\":\"x\""));
    CliProcess.Result bad = cli.run((byte[]) null, "--store", store, "audit", "--verify", "--json");
    assertEquals(1, bad.exit, bad.toString());
    JsonNode b = JSON.readTree(bad.out());
    assertFalse(b.get("verified").booleanValue());
    assertTrue(b.get("error").textValue().contains("fails its MAC"), b.toString());
  }

  @Test
  void verifyJson_ofALogCutBehindItsStore_printsJsonToo() throws Exception {
    Path log = dir.resolve("base.store.audit");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, lines.size() - 2));
    CliProcess.Result bad = cli.run((byte[]) null, "--store", store, "audit", "--verify", "--json");
    assertEquals(1, bad.exit, bad.toString());
    JsonNode b = JSON.readTree(bad.out());
    assertFalse(b.get("verified").booleanValue());
    assertFalse(b.get("error").textValue().isEmpty());
  }

  @Test
  void actor_asARealProcess_defaultsToTheOsUser() throws Exception {
    CliProcess p = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "fixture-pw"));
    CliProcess.Result r = p.run((byte[]) null, "--store", store, "create", "proc");
    assertEquals(0, r.exit, r.toString());
    String lines = p.run((byte[]) null, "--store", store, "audit", "--json").out();
    JsonNode last = null;
    for (String l : lines.split("\n")) {
      JsonNode n = JSON.readTree(l);
      if (n.get("key").textValue().equals("proc#1")) {
        last = n;
      }
    }
    assertNotNull(last, lines);
    assertEquals(System.getProperty("user.name"), last.get("actor").textValue());
  }
}
