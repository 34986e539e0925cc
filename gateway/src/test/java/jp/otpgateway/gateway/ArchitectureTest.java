package jp.otpgateway.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** docs/conventions.md: the domain is plain Java — no Spring, no Reactor, no I/O; Mono/Flux start at the application layer. */
@AnalyzeClasses(packages = {"jp.otpgateway.gateway", "jp.otpgateway.tenant"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainUsesNoFrameworks = noClasses()
            .that().resideInAnyPackage("jp.otpgateway.gateway.domain..", "jp.otpgateway.tenant.model..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "reactor..", "io.r2dbc..", "io.lettuce..", "tools.jackson..",
                    "com.fasterxml.jackson..", "java.nio.file..", "java.net..", "java.sql..")
            .because("the domain is pure functions of its inputs (docs/conventions.md, Shape of the code)");

    @ArchTest
    static final ArchRule domainDoesNotReachOutward = noClasses()
            .that().resideInAPackage("jp.otpgateway.gateway.domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "jp.otpgateway.gateway.application..", "jp.otpgateway.gateway.adapter..",
                    "jp.otpgateway.gateway.config..", "jp.otpgateway.gateway.tenant..");

    @ArchTest
    static final ArchRule applicationKnowsNoAdapters = noClasses()
            .that().resideInAPackage("jp.otpgateway.gateway.application..")
            .should().dependOnClassesThat().resideInAnyPackage("jp.otpgateway.gateway.adapter..");

    @ArchTest
    static final ArchRule tenantConfigKnowsNoSpring = noClasses()
            .that().resideInAPackage("jp.otpgateway.tenant..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..");
}
