package jp.otpgateway.load;

/**
 * The load-test data set, the same in every simulation: {@code tenants} tenants {@code lt-001…}
 * (files made by {@code load-tests/tenants.sh}) with {@code tokensPerTenant} users each, one hardware
 * token per user, seeds derived from tenant and serial ({@link Totp#seed}). Parameters are system
 * properties: {@code -Dtenants=50 -DtokensPerTenant=6000 -DbaseUrl=http://localhost:8080}.
 */
public final class Fleet {

    public final String baseUrl = System.getProperty("baseUrl", "http://localhost:8080");
    public final int tenants = Integer.getInteger("tenants", 5);
    public final int tokensPerTenant = Integer.getInteger("tokensPerTenant", 1_000);

    public long total() {
        return (long) tenants * tokensPerTenant;
    }

    /** 1-based tenant number of the {@code index}-th token; tokens are spread round-robin over tenants. */
    public int tenantOf(long index) {
        return (int) (index % tenants) + 1;
    }

    public int numberInTenant(long index) {
        return (int) (index / tenants);
    }

    public static String tenantId(int tenant) {
        return String.format("lt-%03d", tenant);
    }

    public static String portalKey(int tenant) {
        return tenantId(tenant) + "-portal-key";
    }

    public static String operatorKey(int tenant) {
        return tenantId(tenant) + "-operator-key";
    }

    public static String login(int number) {
        return String.format("lt-u%08d", number);
    }

    /** 12 digits: 5, the tenant number, the user number. */
    public static String serial(int tenant, int number) {
        return String.format("5%03d%08d", tenant, number);
    }

    public static byte[] seed(int tenant, int number) {
        return Totp.seed(tenantId(tenant), serial(tenant, number));
    }

    /**
     * Waits for the next minute boundary: a token accepted by an earlier run in the current step
     * would answer OTP_REPLAYED if a verification of this run used it again in the same step.
     */
    public static void startAtANewStep() {
        long wait = 60_000L - System.currentTimeMillis() % 60_000L + 500;
        System.out.println("waiting " + wait / 1000 + " s for the next 60-second step");
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
