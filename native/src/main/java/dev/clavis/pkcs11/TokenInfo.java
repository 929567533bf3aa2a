package dev.clavis.pkcs11;

/** What {@code C_GetTokenInfo} reports (PKCS#11 v2.40 §3.2), trimmed of padding. Immutable. */
public final class TokenInfo {

  private final long slotId;
  private final String label;
  private final String manufacturer;
  private final String model;
  private final String serialNumber;
  private final long flags;

  TokenInfo(long slotId, String label, String manufacturer, String model, String serialNumber, long flags) {
    this.slotId = slotId;
    this.label = label;
    this.manufacturer = manufacturer;
    this.model = model;
    this.serialNumber = serialNumber;
    this.flags = flags;
  }

  /** @return the slot holding the token */
  public long slotId() { return slotId; }

  /** @return the token label, without trailing blanks */
  public String label() { return label; }

  /** @return the manufacturer ID */
  public String manufacturer() { return manufacturer; }

  /** @return the model */
  public String model() { return model; }

  /** @return the serial number */
  public String serialNumber() { return serialNumber; }

  /** @return the {@code CKF_} flags */
  public long flags() { return flags; }

  /** @return whether {@code flag} is set */
  public boolean has(long flag) {
    return (flags & flag) != 0;
  }

  @Override
  public String toString() {
    return "token '" + label + "' (" + manufacturer + " " + model + ", serial " + serialNumber + ") in slot " + slotId;
  }
}
