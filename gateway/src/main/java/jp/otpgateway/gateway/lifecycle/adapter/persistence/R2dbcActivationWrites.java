package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.lifecycle.application.port.ActivationWrites;
import jp.otpgateway.gateway.shared.adapter.persistence.Batcher;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * First hardware activations, group-committed (see Batcher): while one statement runs, the
 * activations that arrive queue and go together in the next, one commit for all.
 */
@Repository
public class R2dbcActivationWrites implements ActivationWrites {

    /*
     * One statement for a batch. Per activation it repeats the transaction of ActivatingToken.write
     * for a first hardware activation, whose statements are R2dbcTokens.BIND_CONTRACT,
     * R2dbcAssignments.START, R2dbcShipments.COMPLETE, R2dbcSoftwareSetups.VOID_OPEN and the
     * ACTIVATED audit event (ActivationWritesIT checks each against that path):
     * - the batch's tokens are locked first, in key order (no two batches wait in a circle), and read
     *   as they are now: a retired token refuses (RETIRED), a token of another contract refuses
     *   (OTHER_CONTRACT). Of activations of one unbound token in one batch by users of different
     *   contracts, the smallest contract ID's go first and the others find the token bound;
     * - the assignment is inserted only for those; a current assignment of the user (the unique
     *   index assignments_one_current, a concurrent activation won) skips it (ALREADY_ACTIVE);
     * - everything else is written only for the activations whose assignment was inserted, so an
     *   activation is written whole or not at all, without a subtransaction.
     */
    static final String FIRST_HARDWARE = """
            WITH input AS (
                SELECT x.idx, x.tenant, x.login, x.serial, x.contract, x.at::timestamptz AS at, x.client
                  FROM unnest(CAST(:tenants AS text[]), CAST(:logins AS text[]), CAST(:serials AS text[]),
                              CAST(:contracts AS text[]), CAST(:ats AS text[]), CAST(:clients AS text[]))
                       WITH ORDINALITY AS x(tenant, login, serial, contract, at, client, idx)
            ), locked AS (
                SELECT t.tenant_id, t.serial, t.contract_id, t.retired_at IS NOT NULL AS retired
                  FROM tokens t
                 WHERE (t.tenant_id, t.serial) IN (SELECT tenant, serial FROM input)
                 ORDER BY t.tenant_id, t.serial
                   FOR UPDATE
            ), checked AS (
                SELECT i.*, CASE WHEN l.retired THEN 'RETIRED'
                                 WHEN COALESCE(l.contract_id,
                                               (SELECT min(o.contract) FROM input o
                                                 WHERE o.tenant = i.tenant AND o.serial = i.serial)) <> i.contract
                                 THEN 'OTHER_CONTRACT'
                                 ELSE 'BINDABLE' END AS binding
                  FROM input i JOIN locked l ON l.tenant_id = i.tenant AND l.serial = i.serial
            ), started AS (
                INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at)
                SELECT tenant, login, serial, 'ACTIVE', at FROM checked WHERE binding = 'BINDABLE'
                ON CONFLICT DO NOTHING
                RETURNING tenant_id, login_id, serial
            ), won AS (
                SELECT DISTINCT ON (c.tenant, c.login) c.*
                  FROM checked c JOIN started s ON s.tenant_id = c.tenant AND s.login_id = c.login AND s.serial = c.serial
                 ORDER BY c.tenant, c.login, c.idx
            ), bound AS (
                UPDATE tokens t SET contract_id = w.contract
                  FROM (SELECT DISTINCT ON (tenant, serial) tenant, serial, contract FROM won) w
                 WHERE t.tenant_id = w.tenant AND t.serial = w.serial AND t.contract_id IS DISTINCT FROM w.contract
            ), shipped AS (
                UPDATE shipments s SET status = 'COMPLETED', completed_at = w.at
                  FROM won w
                 WHERE s.tenant_id = w.tenant AND s.login_id = w.login AND s.status IN ('REQUESTED', 'SHIPPED')
            ), voided AS (
                UPDATE software_issuances v SET status = 'VOID', closed_at = w.at
                  FROM won w
                 WHERE v.tenant_id = w.tenant AND v.login_id = w.login AND v.status IN ('SETUP_PENDING', 'PROVISIONED')
                RETURNING v.tenant_id, v.serial, w.at
            ), void_tokens AS (
                UPDATE tokens t SET retired_at = v.at
                  FROM voided v
                 WHERE t.tenant_id = v.tenant_id AND t.serial = v.serial
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT tenant, at, login, serial, 'ACTIVATION', 'ACTIVATED', client FROM won
            )
            SELECT c.idx,
                   CASE WHEN c.binding <> 'BINDABLE' THEN c.binding
                        WHEN EXISTS (SELECT 1 FROM won w WHERE w.idx = c.idx) THEN 'ACTIVATED'
                        ELSE 'ALREADY_ACTIVE' END AS result,
                   ARRAY(SELECT h.login FROM (SELECT a.login_id AS login FROM assignments a
                                               WHERE a.tenant_id = c.tenant AND a.serial = c.serial
                                                 AND a.state = 'ACTIVE'
                                              UNION
                                              SELECT w.login FROM won w
                                               WHERE w.tenant = c.tenant AND w.serial = c.serial) h
                          WHERE h.login <> c.login ORDER BY h.login) AS shared_with
              FROM checked c
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;
    private final Batcher<FirstHardware, Written> batches;

    public R2dbcActivationWrites(DatabaseClient db, StoreCalls stores, OtpProperties properties) {
        this.db = db;
        this.stores = stores;
        OtpProperties.HotPath hot = properties.hotPath();
        this.batches = new Batcher<>(this::write, hot.maxBatch(), hot.writesInFlight());
    }

    @Override
    public Mono<Written> firstHardware(FirstHardware activation) {
        return batches.submit(activation).defaultIfEmpty(new Written(Result.NO_TOKEN, List.of()));
    }

    private Mono<List<Optional<Written>>> write(List<FirstHardware> batch) {
        return stores.postgres(db.sql(FIRST_HARDWARE)
                        .bind("tenants", column(batch, FirstHardware::tenantId))
                        .bind("logins", column(batch, FirstHardware::loginId))
                        .bind("serials", column(batch, FirstHardware::serial))
                        .bind("contracts", column(batch, FirstHardware::contractId))
                        .bind("ats", column(batch, a -> Rows.time(a.at()).toString()))
                        .bind("clients", column(batch, FirstHardware::client))
                        .map(row -> Map.entry(Rows.number(row, "idx"), new Written(
                                Result.valueOf(row.get("result", String.class)),
                                List.of(row.get("shared_with", String[].class)))))
                        .all())
                .collectList()
                .map(rows -> Batcher.byPosition(batch.size(), rows));
    }

    private static String[] column(List<FirstHardware> batch, Function<FirstHardware, String> value) {
        return batch.stream().map(value).toArray(String[]::new);
    }
}
