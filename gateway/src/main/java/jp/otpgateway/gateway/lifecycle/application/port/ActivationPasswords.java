package jp.otpgateway.gateway.lifecycle.application.port;

import reactor.core.publisher.Mono;

/**
 * Port: the activation password (利用開始パスワード, R2) as a salted slow hash; the password itself is
 * never stored or logged. The work runs off the event loop and costs the same whether or not a
 * hash was found, so the answer time tells nothing about the IDs.
 */
public interface ActivationPasswords {

    Mono<String> hash(String password);

    /** Compares in constant time. */
    Mono<Boolean> matches(String password, String encodedHash);

    /** The same work as {@link #matches} against nothing: always false. */
    Mono<Boolean> matchesNothing(String password);
}
