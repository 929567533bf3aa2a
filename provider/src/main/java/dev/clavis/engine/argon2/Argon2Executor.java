package dev.clavis.engine.argon2;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool shared by every Argon2 call: one daemon thread per available processor, idle
 * threads retire after a minute. Calls never wait for a pool thread to become free: the calling
 * thread works on the lanes itself and helpers only take lanes nobody has started (see
 * {@link Argon2Fill}), so a busy pool slows a call down but cannot deadlock it.
 */
final class Argon2Executor {

  private Argon2Executor() {}

  /** Number of pool threads: the processors available to this JVM. */
  static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private static final class Holder {
    static final ThreadPoolExecutor POOL = create();

    private static ThreadPoolExecutor create() {
      AtomicInteger n = new AtomicInteger();
      ThreadFactory factory =
          task -> {
            Thread t = new Thread(task, "clavis-argon2-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }

  /** Runs {@code task} on a pool thread. */
  static void submit(Runnable task) {
    Holder.POOL.execute(task);
  }
}
