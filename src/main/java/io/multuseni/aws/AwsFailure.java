package io.multuseni.aws;

/** A failed AWS call, classified so the reconcile logic can decide without knowing the SDK. */
public final class AwsFailure extends RuntimeException {
    public enum Kind {
        /** The ENI or the device index was taken by someone else: try another. */
        CONFLICT,
        /** The instance holds as many interfaces as its type allows. */
        LIMIT,
        /** IAM denies the action: no retry will help. */
        UNAUTHORIZED,
        /** The resource does not exist (any more). */
        NOT_FOUND,
        /** Anything else: throttling that outlasted the SDK's retries, 5xx, network errors. */
        OTHER
    }

    private final Kind kind;
    private final String action;
    private final String code;
    private final String detail;

    public AwsFailure(Kind kind, String action, String code, String message, Throwable cause) {
        super(action + " failed: " + (code == null ? "" : code + ": ") + message, cause);
        this.kind = kind;
        this.action = action;
        this.code = code;
        this.detail = message;
    }

    /** The same failure, of the same kind, saying what the call was about (e.g. {@code eni-… (…), instance i-…}). */
    public AwsFailure about(String on) {
        return new AwsFailure(kind, action, code, detail + " (" + on + ")", getCause());
    }

    public Kind kind() {
        return kind;
    }

    public String action() {
        return action;
    }

    public String code() {
        return code;
    }

    /** The kind of an EC2 error code. */
    public static Kind kindOf(String code) {
        if (code == null) {
            return Kind.OTHER;
        }
        return switch (code) {
            case "InvalidParameterValue", "InvalidNetworkInterface.InUse" -> Kind.CONFLICT;
            case "AttachmentLimitExceeded" -> Kind.LIMIT;
            case "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "AuthFailure" -> Kind.UNAUTHORIZED;
            case "InvalidNetworkInterfaceID.NotFound", "InvalidAttachmentID.NotFound" -> Kind.NOT_FOUND;
            default -> Kind.OTHER;
        };
    }
}
