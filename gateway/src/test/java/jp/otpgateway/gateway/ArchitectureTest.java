package jp.otpgateway.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shape of the house (docs/architecture.md, docs/conventions.md): one room per capability
 * (verification, lifecycle, provisioning, transaction, onboarding, mail, idempotency, audit,
 * custody, user, status, tenant, console, and the shared kernel), each with {@code domain} (plain Java),
 * {@code application} (use cases; the ports they call in {@code application.port}) and
 * {@code adapter}. Mono/Flux start at the application layer.
 */
@AnalyzeClasses(packages = {"jp.otpgateway.gateway", "jp.otpgateway.tenant"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainUsesNoFrameworksAndNoIo = noClasses()
            .that().resideInAnyPackage("jp.otpgateway.gateway..domain..", "jp.otpgateway.tenant.model..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "reactor..", "io.r2dbc..", "io.lettuce..", "io.netty..", "tools.jackson..",
                    "com.fasterxml.jackson..", "java.io..", "java.nio.file..", "java.net..", "java.sql..")
            .because("the domain is pure functions of its inputs (docs/conventions.md, Shape of the code)");

    @ArchTest
    static final ArchRule layersPerRoom = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Domain").definedBy("jp.otpgateway.gateway..domain..")
            .layer("Application").definedBy("jp.otpgateway.gateway..application..")
            .layer("Adapter").definedBy("jp.otpgateway.gateway..adapter..")
            .layer("Config").definedBy("jp.otpgateway.gateway.config..")
            .whereLayer("Adapter").mayOnlyBeAccessedByLayers("Adapter")
            .whereLayer("Application").mayOnlyBeAccessedByLayers("Application", "Adapter")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Adapter")
            .because("a use case knows its ports, never an adapter or the configuration; the domain knows neither");

    @ArchTest
    static final ArchRule roomsHaveNoCycles = slices().matching("jp.otpgateway.gateway.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule portsAreInterfacesOrValues = noClasses()
            .that().resideInAPackage("jp.otpgateway.gateway..application.port..")
            .should().beAnnotatedWith(org.springframework.stereotype.Service.class)
            .because("a port is told from a use case by its package: ports are implemented by adapters");

    /**
     * springdoc names a body's schema by the record's simple name: two controllers' records of one
     * name share one schema in /v3/api-docs, and one of the two calls is documented with the other's
     * fields (the branch's user lookup once showed the portal's user).
     */
    @ArchTest
    static void theApisRecordsHaveNamesOfTheirOwn(JavaClasses classes) {
        Map<String, List<String>> byName = new TreeMap<>();
        for (JavaClass c : classes) {
            Optional<JavaClass> outer = c.getEnclosingClass();
            if (outer.isPresent() && outer.get().isAnnotatedWith(RestController.class) && c.reflect().isRecord()
                    && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                byName.computeIfAbsent(c.getSimpleName(), n -> new ArrayList<>()).add(c.getName());
            }
        }
        assertThat(byName).allSatisfy((name, owners) -> assertThat(owners).as(name).hasSize(1));
    }

    /**
     * The console is a client of the operator API: every rule it shows is the API's, none its own.
     * Of the gateway it may use only the shared kernel's domain (the identifiers' patterns).
     */
    @ArchTest
    static final ArchRule theConsoleKnowsNoOtherRoom = noClasses()
            .that().resideInAPackage("jp.otpgateway.gateway.console..")
            .should().dependOnClassesThat().resideOutsideOfPackages("jp.otpgateway.gateway.console..",
                    "jp.otpgateway.gateway.shared.domain..", "java..",
                    "javax..", "jakarta..", "org.springframework..", "reactor..", "org.slf4j..", "org.thymeleaf..",
                    "com.github.benmanes.caffeine..")
            .because("the console reaches the rooms only through the HTTP API (docs/console.md)");

    @ArchTest
    static final ArchRule tenantConfigKnowsNoSpring = noClasses()
            .that().resideInAPackage("jp.otpgateway.tenant..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..");
}
