package org.rmsprop4j.testkit;

/**
 * The outcome of replaying one case.
 *
 * @param name        case name (or file name when the case could not be read)
 * @param passed      every compared value within the tolerance, and no error
 * @param worstUlp    largest ULP distance over every parameter after every step and the final state
 * @param worstRel    largest relative error over the same values
 * @param worstWhere  where the worst ULP distance occurred (e.g. {@code "step 12, w[3]"}), or empty
 * @param compared    how many values were compared
 * @param error       why the case could not be replayed, or {@code null}
 * @param floorOnly   how many values only the absolute floor accepted (outside the ULP bound, within the floor)
 * @param decidedBy   for a pass, which bound decided: {@code "bit for bit"}, {@code "within 1024 ulp"}, or
 *                    {@code "3 values only within the absolute floor 1e-06"}; empty otherwise
 */
public record CaseResult(String name, boolean passed, long worstUlp, double worstRel, String worstWhere, long compared,
                         String error, long floorOnly, String decidedBy) {

    public static CaseResult failure(String name, String error) {
        return new CaseResult(name, false, Long.MAX_VALUE, Double.POSITIVE_INFINITY, "", 0, error, 0, "");
    }

    /**
     * One line: {@code PASS name  worst 0 ulp, rel 0.0e+00 (N values; bit for bit)}, {@code PASS ... (N
     * values; within 1024 ulp; worst at ...)}, {@code FAIL name  worst ...} or {@code FAIL name  reason}.
     */
    public String line() {
        if (error != null) return "FAIL " + name + "  " + error;
        String ulp = worstUlp >= Long.MAX_VALUE - 1 ? "inf" : Long.toString(worstUlp);
        String by = passed ? decidedBy : "";
        return String.format(java.util.Locale.ROOT, "%s %s  worst %s ulp, rel %.3e (%d values%s%s)", passed ? "PASS" : "FAIL", name, ulp,
                worstRel, compared, by.isEmpty() ? "" : "; " + by, worstWhere.isEmpty() ? "" : "; worst at " + worstWhere);
    }
}
