package jp.otpgateway.tenant.model;

import java.util.List;

/** R13 expiry notices: how many days before expiry, and the sender address of the tenant's mails. */
public record Notifications(List<Integer> expiryNoticeDays, String from) {

    public Notifications {
        expiryNoticeDays = List.copyOf(expiryNoticeDays);
    }
}
