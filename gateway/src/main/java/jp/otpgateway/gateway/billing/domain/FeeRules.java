package jp.otpgateway.gateway.billing.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import jp.otpgateway.tenant.model.Fees;

/**
 * R15 as pure functions (002: 「１個目まで無料。２個目以降は１台につき月額１１０円（税込）（毎月１０日、
 * 代表口座より引落）※１台のハードウェアトークンを複数のユーザで共有可能です。ハードウェアトークン再発行
 * 手数料 ２，２００円（税込）」).
 *
 * <ul>
 * <li>The count of a month is the largest number of distinct hardware tokens the contract held at
 * the same time at any instant of the month (tenant's zone). A token held for one second of the
 * month counts for the month (月額, no proration): activated on the last day, deactivated on the
 * first, retired mid-month. A token shared by several users of the contract is one token (１台).
 * A replacement (a reissue at expiry or after a loss) does not make a second token: the old hold
 * ends when the new one is activated, so they are never held at the same time.</li>
 * <li>The first {@code freeTokensPerContract} tokens are free; each further one costs
 * {@code monthlyPerExtraToken}.</li>
 * <li>Each reissue after a loss or damage report in the month costs {@code reissue} once. A
 * reissue at expiry is not charged: the manual's fee is for the paper form of 000 (故障・紛失).</li>
 * <li>Software tokens are free (the fees name only hardware tokens).</li>
 * </ul>
 */
public final class FeeRules {

    private FeeRules() {
    }

    /** The most distinct tokens held at once within [from, to); holds of other times are ignored. */
    public static int tokensCounted(Collection<TokenHold> holds, Instant from, Instant to) {
        // One interval per token within the month (a token's holds are merged: it is one device).
        Map<String, Instant[]> perToken = new HashMap<>();
        for (TokenHold h : holds) {
            Instant start = h.from().isBefore(from) ? from : h.from();
            Instant end = h.until().filter(u -> u.isBefore(to)).orElse(to);
            if (!start.isBefore(end)) {
                continue; // not held within the month (or ended the instant it began)
            }
            perToken.merge(h.serial(), new Instant[] {start, end}, (a, b) -> new Instant[] {
                    a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        TreeMap<Instant, Integer> deltas = new TreeMap<>();
        for (Instant[] span : perToken.values()) {
            deltas.merge(span[0], 1, Integer::sum);
            deltas.merge(span[1], -1, Integer::sum); // ends before starts at the same instant: a replacement
        }
        int held = 0;
        int most = 0;
        for (int delta : deltas.values()) {
            held += delta;
            most = Math.max(most, held);
        }
        return most;
    }

    /**
     * One contract's month: the tokens counted from its holds, the monthly line when a token is
     * charged, one reissue line for the month's reissues after loss, and adjustments of closed months.
     */
    public static ContractStatement contract(String contractId, Collection<TokenHold> holds, int reissues,
                                             List<FeeLine> adjustments, BillingMonth month, Fees fees) {
        int tokens = tokensCounted(holds, month.start(), month.end());
        List<FeeLine> lines = new ArrayList<>();
        long extra = Math.max(0, tokens - fees.freeTokensPerContract());
        if (extra > 0 && fees.monthlyPerExtraToken() > 0) {
            lines.add(FeeLine.charge(FeeLine.Kind.MONTHLY_TOKEN, extra, fees.monthlyPerExtraToken()));
        }
        if (reissues > 0 && fees.reissue() > 0) {
            lines.add(FeeLine.charge(FeeLine.Kind.REISSUE, reissues, fees.reissue()));
        }
        adjustments.stream().filter(a -> a.amount() != 0).forEach(lines::add);
        return new ContractStatement(contractId, tokens, lines);
    }

    /**
     * Every contract of the tenant with holds or reissues in the month or an adjustment, by contract
     * ID. {@code reissues}: contract → reissues after loss in the month; {@code adjustments}:
     * contract → lines correcting closed months.
     */
    public static List<ContractStatement> month(Collection<TokenHold> holds, Map<String, Integer> reissues,
                                                Map<String, List<FeeLine>> adjustments, BillingMonth month,
                                                Fees fees) {
        Map<String, List<TokenHold>> byContract = new HashMap<>();
        holds.forEach(h -> byContract.computeIfAbsent(h.contractId(), c -> new ArrayList<>()).add(h));
        TreeSet<String> contracts = new TreeSet<>(byContract.keySet());
        contracts.addAll(reissues.keySet());
        contracts.addAll(adjustments.keySet());
        List<ContractStatement> out = new ArrayList<>();
        for (String c : contracts) {
            out.add(contract(c, byContract.getOrDefault(c, List.of()), reissues.getOrDefault(c, 0),
                    adjustments.getOrDefault(c, List.of()), month, fees));
        }
        return out;
    }

    /**
     * What a closed month would say now, against what it billed: per contract the difference of their
     * own totals (without the closed month's own adjustments), as the next statement's adjustment.
     */
    public static Map<String, List<FeeLine>> adjustments(BillingMonth closedMonth, Map<String, Long> billed,
                                                         List<ContractStatement> recomputed) {
        Map<String, Long> now = new HashMap<>();
        recomputed.forEach(s -> now.put(s.contractId(), s.ownTotal()));
        TreeSet<String> contracts = new TreeSet<>(billed.keySet());
        contracts.addAll(now.keySet());
        Map<String, List<FeeLine>> out = new TreeMap<>();
        for (String c : contracts) {
            long diff = now.getOrDefault(c, 0L) - billed.getOrDefault(c, 0L);
            if (diff != 0) {
                out.put(c, List.of(FeeLine.adjustment(closedMonth.month(), diff)));
            }
        }
        return out;
    }
}
