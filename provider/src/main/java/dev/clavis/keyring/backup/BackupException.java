package dev.clavis.keyring.backup;

import dev.clavis.keyring.KeyringException;

/** A backup or restore refused, with the reason as a kind; nothing was written when it is thrown. */
public final class BackupException extends KeyringException {

  private static final long serialVersionUID = 1L;

  /** Why a backup or restore was refused. */
  public enum Kind {
    /** The quorum is impossible or meaningless: M &lt; 2, M &gt; N, N &gt; 255. */
    BAD_QUORUM,
    /** A custodian passphrase is missing, too short or equal to another custodian's. */
    BAD_PASSPHRASE,
    /** Fewer distinct shares than the threshold were given. */
    TOO_FEW_SHARES,
    /** A share was given twice. */
    DUPLICATE_SHARE,
    /** A share belongs to another backup. */
    FOREIGN_SHARE,
    /** A share file is damaged or was altered. */
    TAMPERED_SHARE,
    /** A custodian's passphrase does not open their share. */
    WRONG_PASSPHRASE,
    /** The backup file is damaged or was altered, or the shares do not open it. */
    TAMPERED_BACKUP,
    /** Not a backup or share file, or of a format version this Clavis does not know. */
    NOT_A_BACKUP,
    /** The restore target exists and no overwrite was asked for. */
    TARGET_EXISTS,
    /** The keyring cannot be backed up this way (keys on a token). */
    UNSUPPORTED
  }

  private final Kind kind;

  /**
   * @param kind why
   * @param message what failed and what to do, never a secret
   */
  public BackupException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** @return why the backup or restore was refused */
  public Kind kind() {
    return kind;
  }
}
