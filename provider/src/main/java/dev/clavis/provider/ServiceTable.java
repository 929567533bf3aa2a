package dev.clavis.provider;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the provider's {@link Provider.Service}s from a short typed table, as SunJCE's
 * {@code ps(...)} helper does. Each service instantiates its SPI through a constructor reference:
 * no class-name strings, no reflection. A duplicate name or alias is a programming error and throws.
 */
final class ServiceTable {

  /** Creates an SPI instance; {@code constructorParameter} is whatever JCA passes (usually null). */
  @FunctionalInterface
  interface SpiFactory {
    Object create(Object constructorParameter) throws NoSuchAlgorithmException;
  }

  private final Provider provider;
  private final Consumer<Provider.Service> installer;
  private final List<Provider.Service> services = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  /**
   * @param provider the provider the services belong to
   * @param installer the provider's own {@code putService}, which is protected
   */
  ServiceTable(Provider provider, Consumer<Provider.Service> installer) {
    this.provider = provider;
    this.installer = installer;
  }

  /** Adds one service with no aliases and no attributes. */
  ServiceTable add(String type, String algorithm, SpiFactory factory) {
    return add(type, algorithm, factory, List.of(), Map.of());
  }

  /** Adds one service with its aliases and attributes. */
  ServiceTable add(
      String type,
      String algorithm,
      SpiFactory factory,
      List<String> aliases,
      Map<String, String> attributes) {
    claim(type, algorithm);
    aliases.forEach(a -> claim(type, a));
    services.add(new TableService(provider, type, algorithm, aliases, attributes, factory));
    return this;
  }

  /** Installs every service added so far in the provider. */
  void registerAll() {
    services.forEach(installer);
  }

  private void claim(String type, String name) {
    String key = type + "." + name.toUpperCase(Locale.ROOT);
    if (!names.add(key)) {
      throw new IllegalStateException("duplicate service name in the provider table: " + type + "." + name);
    }
  }

  private static final class TableService extends Provider.Service {
    private final SpiFactory factory;

    TableService(
        Provider provider,
        String type,
        String algorithm,
        List<String> aliases,
        Map<String, String> attributes,
        SpiFactory factory) {
      super(provider, type, algorithm, factory.getClass().getName(), aliases, new HashMap<>(attributes));
      this.factory = factory;
    }

    @Override
    public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
      return factory.create(constructorParameter);
    }
  }
}
