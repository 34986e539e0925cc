package jp.otpgateway.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.verification.adapter.redis.RedisOtpGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The guard's Redis master killed under load (deploy/test-redis-ha.sh runs it against the local
 * Sentinel set-up and the local Redis Cluster; the default suite has one standalone Redis and skips
 * it). Every round, each user sends the current code twice in parallel while the master goes:
 * no code is ever accepted twice, the answers are only accepted, refused or 503 (fail closed while
 * no master answers), a locked token stays locked, and once a replica took over every user is
 * accepted again without a restart.
 */
@IntegrationTest
@EnabledIfEnvironmentVariable(named = "OTP_REDIS_HA", matches = "sentinel|cluster",
        disabledReason = "needs a Sentinel or Cluster set-up: deploy/test-redis-ha.sh")
class RedisFailoverIT extends TwoTenantsTest {

    static final int USERS = 16;

    @Autowired
    GuardConnection redis;

    @Test
    void killingTheMasterUnderLoadNeverAcceptsACodeTwiceNorUnlocksAndHealsWithoutARestart() throws Exception {
        String mode = System.getenv("OTP_REDIS_HA");
        assertThat(redis.mode().name()).isEqualTo(mode.toUpperCase());
        clock.fix(Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.MINUTES));
        List<String> users = alpha.activatedUsers(USERS);
        String locked = alpha.activeUser();
        for (int i = 0; i < 5; i++) {
            alpha.verify(locked, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        alpha.verify(locked, alpha.code()).expectStatus().isEqualTo(423);
        String serial = alpha.status(users.get(0)).expectBody(Map.class).returnResult().getResponseBody().get("serial").toString();
        int master = masterOf(mode, RedisOtpGuard.key(IntegrationTest.ALPHA, serial));

        try {
            failover(mode, master, users, locked);
        } finally {
            // The killed node comes back as a replica; the next tests need every master answering.
            new ProcessBuilder("deploy/redis-ha.sh", mode, "revive", Integer.toString(master))
                    .directory(java.nio.file.Path.of("..").toFile()).inheritIO().start().waitFor();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> "OK".equals(redis.get().flatMap(c -> c.flushdb()).block(Duration.ofSeconds(5))));
        }
    }

    private void failover(String mode, int master, List<String> users, String locked) throws Exception {
        Map<Integer, Integer> statuses = new HashMap<>();
        AtomicReference<String> twice = new AtomicReference<>();
        boolean killed = false;
        Instant killedAt = null;
        Instant healedBy = null;
        for (int round = 0; round < 40; round++) {
            clock.advance(Duration.ofSeconds(60));
            String code = alpha.code();
            if (round == 3) {
                redisCli(master, "shutdown", "nosave"); // the master dies mid-load, losing what it held
                killed = true;
                killedAt = Instant.now();
            }
            var answers = Parallel.requests(2 * USERS, i -> alpha.verify(users.get(i / 2), code));
            int[] accepted = new int[USERS];
            boolean all = true;
            for (int i = 0; i < answers.size(); i++) {
                int status = answers.get(i).getStatus().value();
                statuses.merge(status, 1, Integer::sum);
                if (status == 200 && ++accepted[i / 2] > 1) {
                    twice.set(users.get(i / 2) + " at round " + round);
                }
            }
            for (int a : accepted) {
                all &= a == 1;
            }
            if (killed && all && round > 4) {
                healedBy = Instant.now();
                break;
            }
            Thread.sleep(500);
        }
        assertThat(twice.get()).as("a code accepted twice").isNull();
        assertThat(statuses.keySet()).as("answers seen: %s", statuses).isSubsetOf(200, 422, 503);
        assertThat(statuses).containsKey(503); // failed closed while no master answered
        assertThat(healedBy).as("every user accepted again after the failover, answers: %s", statuses).isNotNull();
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(locked, alpha.code()).expectStatus().isEqualTo(423); // still locked
        for (String user : users) {
            alpha.verify(user, alpha.code()).expectStatus().isOk();
        }
        System.out.println("RedisFailoverIT(" + mode + "): answers " + statuses + ", every user accepted again "
                + Duration.between(killedAt, healedBy).toMillis() + " ms after the master was killed");
    }

    /** The port of the master that holds {@code key}: Sentinel's master, or the Cluster node of its slot. */
    static int masterOf(String mode, String key) throws IOException, InterruptedException {
        if (mode.equals("sentinel")) {
            return Integer.parseInt(redisCli(27201, "sentinel", "get-master-addr-by-name", "otp").split("\n")[1].strip());
        }
        long slot = Long.parseLong(redisCli(7101, "cluster", "keyslot", key).strip());
        for (String line : redisCli(7101, "cluster", "nodes").split("\n")) {
            String[] f = line.split(" ");
            if (f[2].contains("master") && !f[2].contains("fail")) {
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    long from = Long.parseLong(range[0]);
                    long to = range.length > 1 ? Long.parseLong(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    }
                }
            }
        }
        throw new IllegalStateException("no master for slot " + slot);
    }

    static String redisCli(int port, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
