package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link PostgresWorker}s acknowledged (their fsynced files), and the checks that the shared
 * keyring kept all of it. A last line without its newline was cut by a SIGKILL before it was
 * acknowledged and is ignored.
 */
final class PostgresAcks {

  final Set<String> created = new TreeSet<>();
  final Set<Integer> rotations = new TreeSet<>();
  final List<byte[][]> envelopes = new ArrayList<>();
  final Map<KeyRef, Long> uses = new HashMap<>();
  /** Creations whose outcome Clavis reported unknown (COMMIT unanswered): committed or not. */
  final Set<String> maybeCreated = new TreeSet<>();
  /** Rotations of shared-rot whose outcome Clavis reported unknown. */
  int maybeRotations;
  long lines;

  /** Adds the acknowledgements of one worker's file. */
  void read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return;
    }
    for (String line : text.substring(0, end).split("\n")) {
      String[] f = line.split(" ");
      lines++;
      switch (f[0]) {
        case "C" -> created.add(f[1]);
        case "R" -> assertTrue(rotations.add(Integer.parseInt(f[2])), "version " + f[2] + " acknowledged twice");
        case "E" -> envelopes.add(new byte[][] {HexFormat.of().parseHex(f[1]), HexFormat.of().parseHex(f[2])});
        case "U" -> uses.merge(KeyRef.parse(f[1]), 1L, Long::sum);
        case "?C" -> maybeCreated.add(f[1]);
        case "?R" -> maybeRotations++;
        default -> throw new AssertionError("unknown acknowledgement line in " + file + ": " + line);
      }
    }
  }

  /**
   * Every acknowledged operation is in the keyring, no rotation is half-visible, every
   * acknowledged envelope decrypts, the usage limit held, the audit chain verifies and every
   * committed change has its record.
   *
   * @param exact no worker runs any more: the audit records must match the changes one to one, and
   *     the rotations and creations acknowledged must be all there are (no worker was killed)
   * @param limit the usage limit of {@code limited}
   */
  void verify(Keyring k, String when, boolean exact, long limit) {
    Set<String> workerKeys = new TreeSet<>();
    for (KeyInfo i : k.list()) {
      if (i.name().startsWith("w")) {
        workerKeys.add(i.name());
      }
    }
    for (String c : created) {
      assertTrue(workerKeys.contains(c), when + ": the acknowledged creation of " + c + " was lost");
    }
    for (KeyInfo i : k.list()) { // every key: one ACTIVE version, numbered without a gap
      long activeVersions = i.versions().stream().filter(v -> v.state() == KeyState.ACTIVE).count();
      assertEquals(1, activeVersions, when + ": key " + i.name() + " has " + activeVersions + " ACTIVE versions: "
          + i.versions());
    }
    KeyInfo rot = k.find("shared-rot").orElseThrow();
    List<KeyVersionInfo> vs = rot.versions();
    int active = 0;
    for (int i = 0; i < vs.size(); i++) {
      assertEquals(i + 1, vs.get(i).version(), when + ": shared-rot's versions have a gap: " + vs);
      active += vs.get(i).state() == KeyState.ACTIVE ? 1 : 0;
    }
    assertEquals(1, active, when + ": a partial rotation is visible, shared-rot has " + active + " active versions");
    for (int v : rotations) {
      assertTrue(v <= vs.size(), when + ": the acknowledged rotation to shared-rot#" + v + " was lost (newest "
          + vs.size() + ")");
    }
    byte[] probe = k.encrypt("shared-rot", new byte[] {7}, null);
    assertArrayEquals(new byte[] {7}, k.decrypt(probe, null), when + ": the newest version of shared-rot");
    for (byte[][] e : envelopes) {
      assertArrayEquals(e[0], k.decrypt(e[1], null), when + ": an acknowledged envelope");
    }
    long used = 0;
    KeyInfo limited = k.find("limited").orElseThrow();
    for (Map.Entry<KeyRef, Long> u : uses.entrySet()) {
      used += u.getValue();
      KeyVersionInfo v = limited.version(u.getKey().version().getAsInt()).orElseThrow();
      assertTrue(v.usageCount() >= u.getValue(), when + ": " + u.getKey() + " counts " + v.usageCount()
          + " uses, " + u.getValue() + " were acknowledged");
    }
    assertTrue(used <= limit, when + ": " + used + " encryptions under 'limited' succeeded across the processes,"
        + " its usage limit is " + limit);
    assertTrue(k.auditLog().verify() > 0, when + ": the audit chain");
    // Read after the state: records commit with their change, so they cover at least this state.
    Set<String> createRecords = new HashSet<>();
    Set<Integer> rotateRecords = new HashSet<>();
    long creates = 0;
    long rotates = 0;
    for (AuditEvent e : k.auditLog().events()) {
      String name = e.key() == null ? "" : e.key().split("#")[0];
      if (e.action().equals("create") && name.startsWith("w")) {
        creates++;
        createRecords.add(name);
      } else if (e.action().equals("rotate") && name.equals("shared-rot")) {
        rotates++;
        rotateRecords.add(KeyRef.parse(e.key()).version().getAsInt());
      }
    }
    for (String w : workerKeys) {
      assertTrue(createRecords.contains(w), when + ": the creation of " + w + " has no audit record");
    }
    for (int v = 2; v <= vs.size(); v++) {
      assertTrue(rotateRecords.contains(v), when + ": the rotation to shared-rot#" + v + " has no audit record");
    }
    if (exact) {
      assertEquals(workerKeys.size(), creates, when + ": create records vs keys created");
      assertEquals(vs.size() - 1, rotates, when + ": rotate records vs versions of shared-rot");
      // and no change committed while its worker was told it failed; a change reported "unknown"
      // (its COMMIT unanswered) may be either
      Set<String> unacknowledged = new TreeSet<>(workerKeys);
      unacknowledged.removeAll(created);
      unacknowledged.removeAll(maybeCreated);
      assertEquals(Set.of(), unacknowledged, when + ": keys created whose creation was reported failed");
      int extra = vs.size() - 1 - rotations.size();
      assertTrue(extra >= 0 && extra <= maybeRotations, when + ": " + (vs.size() - 1) + " versions of shared-rot"
          + " after rotations, " + rotations.size() + " acknowledged, " + maybeRotations + " reported unknown");
    }
  }
}
