package jp.otpgateway.gateway.billing.domain;

import java.util.List;

/** What one contract owes for a month: the tokens counted, the fee lines, the total (yen, tax included). */
public record ContractStatement(String contractId, int tokens, List<FeeLine> lines) {

    public ContractStatement {
        lines = List.copyOf(lines);
    }

    public long total() {
        return lines.stream().mapToLong(FeeLine::amount).sum();
    }

    /** The part of the total that the month's own activity gives, without adjustments of earlier months. */
    public long ownTotal() {
        return lines.stream().filter(l -> l.kind() != FeeLine.Kind.ADJUSTMENT).mapToLong(FeeLine::amount).sum();
    }
}
