package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CliArgsTest {

  @Test
  void parse_optionsBeforeAndAfterCommand_meanTheSame() {
    CliArgs a = CliArgs.parse(new String[] {"--store", "s.db", "create", "k", "--exportable", "--usage-limit=5"});
    CliArgs b = CliArgs.parse(new String[] {"create", "--usage-limit", "5", "k", "--store=s.db", "--exportable"});
    for (CliArgs x : List.of(a, b)) {
      assertEquals("create", x.command());
      assertEquals(List.of("k"), x.positionals());
      assertEquals("s.db", x.option("--store"));
      assertEquals("5", x.option("--usage-limit"));
      assertTrue(x.flag("--exportable"));
      assertFalse(x.flag("--json"));
    }
  }

  @Test
  void parse_doubleDash_endsOptions() {
    CliArgs a = CliArgs.parse(new String[] {"show", "--", "--json"});
    assertEquals(List.of("--json"), a.positionals());
    assertFalse(a.flag("--json"));
  }

  @Test
  void parse_passwordOption_isUsageErrorWithoutTheValue() {
    CliException e = assertThrows(CliException.class, () -> CliArgs.parse(new String[] {"list", "--password=s3cr3t"}));
    assertEquals(CliException.USAGE, e.exitCode());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }

  @Test
  void parse_unknownMissingRepeatedOrValuedFlag_areUsageErrors() {
    for (String[] argv : new String[][] {{"list", "--nope"}, {"list", "--store"}, {"list", "--store", "a", "--store", "b"},
        {"list", "--json=yes"}}) {
      assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> CliArgs.parse(argv)).exitCode(), String.join(" ", argv));
    }
  }

  @Test
  void expectPositionals_wrongCount_namesSynopsis() {
    CliArgs a = CliArgs.parse(new String[] {"show"});
    assertNull(a.option("--store"));
    CliException e = assertThrows(CliException.class, () -> a.expectPositionals(1, 1, "show NAME"));
    assertTrue(e.getMessage().contains("show NAME"));
  }
}
