package org.wirelab.lifecycle;

import java.time.Duration;

/**
 * The checks every builder setting goes through, so that a bad value is refused with the same words
 * everywhere: {@code Settings.positive("headTimeout", Duration.ZERO)} throws
 * {@code IllegalArgumentException: headTimeout must be positive, was PT0S}.
 */
public final class Settings {

    private Settings() {
    }

    /** {@code value}, if it is longer than zero; else an {@link IllegalArgumentException} naming the setting. */
    public static Duration positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /** {@code value}, if it is zero or longer; else an {@link IllegalArgumentException} naming the setting. */
    public static Duration notNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /** {@code value}, if it is 1 or more; else an {@link IllegalArgumentException} naming the setting. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
