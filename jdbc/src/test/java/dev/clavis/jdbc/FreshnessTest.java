package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.jdbc.Freshness.Learnt;
import org.junit.jupiter.api.Test;

/** Which generation a process reports, from its own image and what the freshness thread learnt. */
class FreshnessTest {

  static final long READ_AT = 1_000_000L;

  @Test
  void aPollBegunBeforeThisProcesssOwnCommit_doesNotTakeTheGenerationBack() {
    // the poll's query began before the commit of generation 120 and finished after it, with 119
    Learnt stale = new Learnt(119, READ_AT - 5);
    assertEquals(120, Freshness.current(120, READ_AT, stale, Learnt.NOTHING));
  }

  @Test
  void aPollBegunAfterTheImage_isTheTruth_lowerIncluded_soARestoredDatabaseIsSeen() {
    assertEquals(119, Freshness.current(120, READ_AT, new Learnt(119, READ_AT + 5), Learnt.NOTHING));
    assertEquals(125, Freshness.current(120, READ_AT, new Learnt(125, READ_AT + 5), Learnt.NOTHING));
  }

  @Test
  void aNotification_onlyRaisesTheGeneration() {
    assertEquals(121, Freshness.current(120, READ_AT, Learnt.NOTHING, new Learnt(121, READ_AT + 5)));
    assertEquals(120, Freshness.current(120, READ_AT, Learnt.NOTHING, new Learnt(118, READ_AT + 5)),
        "a late notification of an older commit says nothing");
    assertEquals(120, Freshness.current(120, READ_AT, Learnt.NOTHING, new Learnt(121, READ_AT - 5)),
        "a notification learnt before the image was read is already in it or older");
  }

  @Test
  void nothingLearnt_reportsTheImage() {
    assertEquals(7, Freshness.current(7, READ_AT, Learnt.NOTHING, Learnt.NOTHING));
  }

  @Test
  void aNotificationOfThisProcesssOwnCommit_doesNotHideARestoreALaterPollFinds() {
    Learnt ownCommit = new Learnt(120, READ_AT + 5);
    Learnt laterPoll = new Learnt(118, READ_AT + 10);
    assertEquals(118, Freshness.current(120, READ_AT, laterPoll, ownCommit));
  }
}
