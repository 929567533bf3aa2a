package dev.clavis.keyring.backup;

import dev.clavis.engine.shamir.Shamir;
import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * M-of-N backup and recovery of a file store (password-protected or token-rooted) with its audit
 * log, commit mark and anchor: the files are encrypted under a random backup key ({@link
 * BackupArchive}), and the key exists only as N shares by Shamir's secret sharing ({@link Shamir}),
 * each sealed under its own custodian's passphrase ({@link ShareFile}); any M custodians restore
 * the store, fewer learn nothing. Formats: docs/backup.md.
 *
 * <p>The restored store is the store as it was: it opens with its own password (or token root
 * key), its audit log verifies, and data encrypted before the backup decrypts. An anchor that has
 * moved past the backup refuses the restored store (as it should: that is a rollback) until the
 * anchor saved with the backup is restored too.
 */
public final class KeyringBackup {

  /** The encrypted backup's file name in the backup directory. */
  public static final String BACKUP_FILE = "backup.clbk";
  /** The shortest custodian passphrase accepted. */
  public static final int MIN_PASSPHRASE = 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyringBackup() {}

  /** What a backup wrote. */
  public record Summary(String backupId, int threshold, int shares, Path backupFile, List<Path> shareFiles) {
    /** Copies the list. */
    public Summary {
      shareFiles = List.copyOf(shareFiles);
    }
  }

  /**
   * What a restore wrote, and where the files it replaced were kept ({@code force}): each moved
   * to {@code <name>.replaced-<UTC time>} beside it, so a mistaken restore can be undone.
   */
  public record Restored(String backupId, Instant created, List<Path> files, List<Path> keptAside) {
    /** Copies the lists. */
    public Restored {
      files = List.copyOf(files);
      keptAside = List.copyOf(keptAside);
    }

    /** A restore that replaced nothing. */
    public Restored(String backupId, Instant created, List<Path> files) {
      this(backupId, created, files, List.of());
    }
  }

  /** A share as read, before its passphrase is asked for. */
  public record ShareInfo(Path file, String backupId, int number, int threshold, int shares) {}

  /** Where restore gets each custodian's passphrase: asked once the share's number is known. */
  @FunctionalInterface
  public interface Passphrases {
    /**
     * @param share the share whose custodian is asked
     * @return the passphrase; wiped after use by the restore
     */
    char[] of(ShareInfo share);
  }

  /** @return the name of share {@code x} of {@code n} in a backup directory */
  public static String shareFileName(int x, int n) {
    return "share-" + x + "-of-" + n + ".clshare";
  }

  /**
   * Backs up an open file store into {@code outDir}: {@value #BACKUP_FILE} and one share file per
   * custodian. The backup is recorded in the store's audit log ({@code backup}) first, then the
   * files are read under the store's exclusive lock, so they belong together.
   *
   * @param keyring the open keyring of {@code storeFile}
   * @param storeFile the store file it was opened from
   * @param outDir a new or empty directory
   * @param shares N, 2..255
   * @param threshold M, 2..N
   * @param passphrases N custodian passphrases (share {@code i + 1} gets {@code passphrases.get(i)}), at least
   *     {@value #MIN_PASSPHRASE} characters each, all different; not wiped here
   * @param kdf the Argon2id parameters sealing each share
   * @return what was written
   * @throws BackupException BAD_QUORUM, BAD_PASSPHRASE, TARGET_EXISTS or UNSUPPORTED (nothing is written)
   * @throws IllegalArgumentException if the KDF is not Argon2id or below OWASP's minimums without {@link
   *     KdfParameters#allowingWeak()}
   * @throws KeyringException if a file cannot be read or written
   */
  public static Summary create(Keyring keyring, Path storeFile, Path outDir, int shares, int threshold,
      List<char[]> passphrases, KdfParameters kdf) {
    try {
      Shamir.checkQuorum(shares, threshold);
    } catch (IllegalArgumentException e) {
      throw new BackupException(BackupException.Kind.BAD_QUORUM, e.getMessage() + "; nothing was written");
    }
    checkPassphrases(passphrases, shares);
    if (kdf.algorithm() != KdfParameters.Algorithm.ARGON2ID || !kdf.valid()) {
      throw new IllegalArgumentException("shares are sealed with Argon2id; got " + kdf);
    }
    if (!kdf.limitsOk()) {
      throw new IllegalArgumentException(KdfLimits.excess(kdf).orElse(kdf + " costs more than this Clavis opens"));
    }
    Optional<String> weak = KdfLimits.weakness(kdf);
    if (weak.isPresent() && !kdf.weakAllowed()) {
      throw new IllegalArgumentException("sealing custodian shares: " + weak.get() + "; allow it explicitly only for a"
          + " test");
    }
    if (!(keyring instanceof KeyringEngine)) {
      throw new BackupException(BackupException.Kind.UNSUPPORTED, "this keyring is not one Clavis opened itself");
    }
    KeyringEngine engine = (KeyringEngine) keyring;
    KeyBackend backend = engine.backend();
    Path audit = backend.auditFile().orElse(null);
    if (audit == null || !Files.isRegularFile(storeFile) || !sameFile(audit, storeFile.resolveSibling(
        storeFile.getFileName() + ".audit"))) {
      throw new BackupException(BackupException.Kind.UNSUPPORTED, "only file stores (password-protected or rooted in a"
          + " token) are backed up this way; keys that live on a PKCS#11 token never leave it: back the token up"
          + " with its vendor's tools");
    }
    requireEmptyDir(outDir);
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String hexId = HexFormat.of().formatHex(id);
    int kind = Keyrings.isTokenRooted(storeFile) ? BackupArchive.KIND_TOKEN_ROOTED : BackupArchive.KIND_FILE;
    Map<String, String> details = new LinkedHashMap<>();
    details.put("backup", hexId);
    details.put("threshold", Integer.toString(threshold));
    details.put("shares", Integer.toString(shares));
    details.put("kdf", kdf.toString());
    engine.recordKeyringEvent("backup", details); // in the log that goes into the backup
    // under the store's exclusive lock: no writer between reading the store and its log
    Map<String, byte[]> files = backend.transact((latest, changes) -> snapshot(storeFile, audit));
    byte[] key = new byte[32];
    byte[][] ys = null;
    try {
      RANDOM.nextBytes(key);
      BackupArchive archive = BackupArchive.seal(id, threshold, shares, System.currentTimeMillis(), kind, files, key,
          RANDOM);
      ys = Shamir.split(key, shares, threshold, RANDOM);
      List<ShareFile> sealed = new ArrayList<>();
      for (int i = 0; i < shares; i++) {
        sealed.add(ShareFile.protect(id, threshold, shares, i + 1, ys[i], passphrases.get(i), kdf, RANDOM));
      }
      Files.createDirectories(outDir);
      Path backupFile = outDir.resolve(BACKUP_FILE);
      writeNew(backupFile, archive.encoded());
      List<Path> shareFiles = new ArrayList<>();
      for (int i = 0; i < shares; i++) {
        Path f = outDir.resolve(shareFileName(i + 1, shares));
        writeNew(f, sealed.get(i).encoded());
        shareFiles.add(f);
      }
      return new Summary(hexId, threshold, shares, backupFile, shareFiles);
    } catch (IOException e) {
      throw new KeyringException("cannot write the backup in " + outDir + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (ys != null) {
        for (byte[] y : ys) {
          Arrays.fill(y, (byte) 0);
        }
      }
      files.values().forEach(f -> Arrays.fill(f, (byte) 0));
    }
  }

  /**
   * Reads a share file without opening it.
   *
   * @throws BackupException NOT_A_BACKUP or TAMPERED_SHARE
   * @throws KeyringException if it cannot be read
   */
  public static ShareInfo readShare(Path file) {
    ShareFile s = ShareFile.parse(read(file, "share"), file.toString());
    return new ShareInfo(file, s.id(), s.x, s.threshold, s.shares);
  }

  /**
   * Rebuilds a store from its backup and any M of its shares. Every check that needs no
   * passphrase runs first (foreign, duplicate or too few shares, an existing target), then the
   * custodians are asked, then the backup is opened; only then is anything written: the log, the
   * mark (and anchor), and last the store, each written aside and renamed into place.
   *
   * @param backupFile the backup's {@value #BACKUP_FILE}
   * @param shareFiles at least M share files of that backup
   * @param passphrases asked once per share used
   * @param targetStore where the store goes; its log and mark go beside it
   * @param anchorTarget where the backed-up anchor goes, or null to leave it out
   * @param force whether existing files at the target may be replaced (they are moved aside, see {@link Restored})
   * @return what was written
   * @throws BackupException FOREIGN_SHARE, DUPLICATE_SHARE, TOO_FEW_SHARES, TAMPERED_SHARE, WRONG_PASSPHRASE,
   *     TAMPERED_BACKUP, NOT_A_BACKUP or TARGET_EXISTS; nothing is written then
   * @throws KeyringException if a file cannot be read or written
   */
  public static Restored restore(Path backupFile, List<Path> shareFiles, Passphrases passphrases, Path targetStore,
      Path anchorTarget, boolean force) {
    Objects.requireNonNull(passphrases, "passphrases");
    BackupArchive archive = BackupArchive.parse(read(backupFile, "backup"), backupFile.toString());
    List<ShareFile> shares = new ArrayList<>();
    List<Path> used = new ArrayList<>();
    for (Path f : shareFiles) {
      ShareFile s = ShareFile.parse(read(f, "share"), f.toString());
      if (!Arrays.equals(s.backupId, archive.id)) {
        throw new BackupException(BackupException.Kind.FOREIGN_SHARE, "the share " + f + " belongs to backup " + s.id()
            + ", not to backup " + archive.id() + " (" + backupFile + "); nothing was restored");
      }
      if (s.threshold != archive.threshold || s.shares != archive.shares) {
        throw new BackupException(BackupException.Kind.TAMPERED_SHARE, "the share " + f + " says " + s.threshold + " of "
            + s.shares + " but its backup says " + archive.threshold + " of " + archive.shares + ": one was altered");
      }
      for (int i = 0; i < shares.size(); i++) {
        if (shares.get(i).x == s.x) {
          throw new BackupException(BackupException.Kind.DUPLICATE_SHARE, "share " + s.x + " is given twice (" + used.get(i)
              + " and " + f + "); give " + archive.threshold + " different shares");
        }
      }
      shares.add(s);
      used.add(f);
    }
    if (shares.size() < archive.threshold) {
      throw new BackupException(BackupException.Kind.TOO_FEW_SHARES, "backup " + archive.id() + " needs "
          + archive.threshold + " of its " + archive.shares + " shares; " + shares.size() + " given; nothing was restored");
    }
    List<Path> targets = List.of(targetStore, sibling(targetStore, ".audit"), sibling(targetStore, ".audit.head"));
    if (!force) {
      for (Path t : targets) {
        if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
          throw new BackupException(BackupException.Kind.TARGET_EXISTS, "a file already exists at " + t + "; restore never"
              + " replaces a store without --force (force); nothing was restored");
        }
      }
      if (anchorTarget != null && Files.exists(anchorTarget, LinkOption.NOFOLLOW_LINKS)) {
        throw new BackupException(BackupException.Kind.TARGET_EXISTS, "an anchor already exists at " + anchorTarget
            + "; restore replaces it only with --force (force); nothing was restored");
      }
    }
    int m = archive.threshold;
    int[] xs = new int[m];
    byte[][] ys = new byte[m][];
    byte[] key = null;
    Map<String, byte[]> files = null;
    try {
      for (int i = 0; i < m; i++) {
        ShareFile s = shares.get(i);
        char[] pw = passphrases.of(new ShareInfo(used.get(i), s.id(), s.x, s.threshold, s.shares));
        try {
          xs[i] = s.x;
          ys[i] = s.unlock(pw, used.get(i).toString());
        } finally {
          if (pw != null) {
            Arrays.fill(pw, '\0');
          }
        }
      }
      key = Shamir.combine(xs, ys);
      files = archive.open(key, backupFile.toString());
      if (!files.containsKey("store") || !files.containsKey("audit")) {
        throw new BackupException(BackupException.Kind.TAMPERED_BACKUP, "the backup " + archive.id()
            + " holds no store or no audit log");
      }
      List<Path> written = new ArrayList<>();
      // what --force replaces is moved aside first, the store before its log (as a writer never leaves
      // a store without its log): a crash in between leaves no store at the target, never a new log
      // beside the old store, and nothing replaced is lost
      List<Path> kept = keepAside(targets, anchorTarget != null && files.containsKey("anchor") ? anchorTarget : null);
      // the log and the mark first, the store last: a store never stands without its log
      write(sibling(targetStore, ".audit"), files.get("audit"), written);
      if (files.containsKey("audit.head")) {
        write(sibling(targetStore, ".audit.head"), files.get("audit.head"), written);
      }
      if (anchorTarget != null && files.containsKey("anchor")) {
        write(anchorTarget, files.get("anchor"), written);
      }
      write(targetStore, files.get("store"), written);
      return new Restored(archive.id(), Instant.ofEpochMilli(archive.created), written, kept);
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
      for (byte[] y : ys) {
        if (y != null) {
          Arrays.fill(y, (byte) 0);
        }
      }
      if (files != null) {
        files.values().forEach(f -> Arrays.fill(f, (byte) 0));
      }
    }
  }

  private static void checkPassphrases(List<char[]> passphrases, int shares) {
    if (passphrases.size() != shares) {
      throw new BackupException(BackupException.Kind.BAD_PASSPHRASE, shares + " shares need " + shares
          + " custodian passphrases, got " + passphrases.size() + "; nothing was written");
    }
    for (int i = 0; i < shares; i++) {
      char[] p = passphrases.get(i);
      if (p == null || p.length < MIN_PASSPHRASE) {
        throw new BackupException(BackupException.Kind.BAD_PASSPHRASE, "the passphrase of custodian " + (i + 1)
            + " is shorter than " + MIN_PASSPHRASE + " characters; nothing was written");
      }
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(p, passphrases.get(j))) {
          throw new BackupException(BackupException.Kind.BAD_PASSPHRASE, "custodians " + (j + 1) + " and " + (i + 1)
              + " have the same passphrase: each custodian needs their own, or one person holds two shares;"
              + " nothing was written");
        }
      }
    }
  }

  private static Map<String, byte[]> snapshot(Path storeFile, Path audit) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("store", read(storeFile, "store"));
    files.put("audit", Files.exists(audit) ? read(audit, "audit log") : new byte[0]);
    Path mark = sibling(audit, ".head");
    if (Files.exists(mark)) {
      files.put("audit.head", read(mark, "commit mark"));
    }
    anchor().filter(Files::exists).ifPresent(a -> files.put("anchor", read(a, "anchor")));
    return files;
  }

  private static Optional<Path> anchor() {
    String p = System.getProperty(Keyrings.ANCHOR_PROPERTY);
    return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
  }

  private static Path sibling(Path f, String suffix) {
    return f.resolveSibling(f.getFileName() + suffix);
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) ? Files.isSameFile(a, b) : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireEmptyDir(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new BackupException(BackupException.Kind.TARGET_EXISTS, dir + " exists and is not a directory; nothing was"
          + " written");
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      if (s.iterator().hasNext()) {
        throw new BackupException(BackupException.Kind.TARGET_EXISTS, "the directory " + dir + " is not empty; a backup"
            + " goes into a new or empty directory; nothing was written");
      }
    } catch (IOException e) {
      throw new KeyringException("cannot read the directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path f, String what) {
    try {
      return Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new KeyringException("no " + what + " file at " + f);
    } catch (IOException e) {
      throw new KeyringException("cannot read the " + what + " file " + f + ": " + e.getMessage(), e);
    }
  }

  private static void writeNew(Path f, byte[] data) throws IOException {
    try (FileChannel ch = OwnerOnlyFiles.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new BackupException(BackupException.Kind.TARGET_EXISTS, "a file already exists at " + f);
    }
  }

  /**
   * Moves the existing target files (store first) to {@code <name>.replaced-<UTC time>}.
   *
   * @return where they went
   */
  private static List<Path> keepAside(List<Path> targets, Path anchorTarget) {
    String suffix = ".replaced-" + java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
    List<Path> all = new ArrayList<>(targets);
    if (anchorTarget != null) {
      all.add(anchorTarget);
    }
    List<Path> kept = new ArrayList<>();
    for (Path t : all) {
      if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path aside = t.resolveSibling(t.getFileName() + suffix);
      try {
        Files.move(t, aside, StandardCopyOption.ATOMIC_MOVE);
        kept.add(aside);
      } catch (IOException e) {
        throw new KeyringException("cannot move " + t + " aside to " + aside + " before restoring over it: "
            + e.getMessage() + (kept.isEmpty() ? "; nothing was restored" : "; already moved: " + kept), e);
      }
    }
    return kept;
  }

  /** Writes aside (owner-only), forces, renames into place. */
  private static void write(Path target, byte[] data, List<Path> written) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".restore-" + HexFormat.of().formatHex(nonce()));
    try {
      Files.createDirectories(dir);
      writeNew(tmp, data);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      written.add(target);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the temporary stays; it is owner-only and named as a restore's
      }
      throw new KeyringException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static byte[] nonce() {
    byte[] n = new byte[6];
    RANDOM.nextBytes(n);
    return n;
  }
}
