package org.wirelab.dissect;

/**
 * The Huffman code of HPACK, RFC 7541 §5.2 and Appendix B. The code is canonical: within one code
 * length, symbols take consecutive codes in symbol order, and each length starts where the shorter
 * ones ended, shifted left. So the code length of each of the 257 symbols (256 octets plus EOS)
 * defines the whole table, e.g. {@code '0'} is {@code 00000} (5 bits), {@code ' '} is
 * {@code 010100} (6 bits), EOS is thirty 1 bits.
 *
 * <pre>
 * f1 e3 c2 e5 f2 3a 6b a0 ab 90 f4 ff   "www.example.com" (RFC 7541 C.4.1)
 * </pre>
 */
final class Huffman {

    /** End of string, symbol 256: never valid inside a string (RFC 7541 §5.2). */
    static final int EOS = 256;

    /** Code length in bits of each symbol 0..256, as listed in RFC 7541 Appendix B. */
    static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, //   0..15
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, //  16..31
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,         //  ' '..'/'
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,              //  '0'..'?'
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,                //  '@'..'O'
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,             //  'P'..'_'
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,                //  '`'..'o'
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,            //  'p'..127
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128..143
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144..159
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160..175
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176..191
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192..207
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208..223
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224..239
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240..255
        30                                                              // EOS
    };

    static final int MAX_LENGTH = 30;

    /** How many symbols have each code length, and the symbols in (length, symbol) order. */
    private static final int[] COUNT = new int[MAX_LENGTH + 1];
    private static final int[] SORTED = new int[LENGTHS.length];
    /** The code of each symbol, right-aligned. */
    static final int[] CODES = new int[LENGTHS.length];

    static {
        for (byte len : LENGTHS) {
            COUNT[len]++;
        }
        int k = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            for (int s = 0; s < LENGTHS.length; s++) {
                if (LENGTHS[s] == len) {
                    SORTED[k++] = s;
                }
            }
        }
        int code = 0;
        int prev = 0;
        for (int i = 0; i < SORTED.length; i++) {
            int len = LENGTHS[SORTED[i]];
            code <<= len - prev;
            CODES[SORTED[i]] = code++;
            prev = len;
        }
    }

    private Huffman() {
    }

    /** A decoded string, or why it is not one. */
    record Result(byte[] bytes, String problem) {
    }

    /**
     * Decodes {@code b[from, from + len)}. Padding must be fewer than 8 bits, all 1 (the most
     * significant bits of EOS); an EOS symbol inside the string is an error (RFC 7541 §5.2).
     */
    static Result decode(byte[] b, int from, int len) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(len * 8 / 5 + 1);
        int code = 0;
        int first = 0;
        int index = 0;
        int bits = 0;
        boolean allOnes = true;
        for (int i = 0; i < len * 8; i++) {
            int bit = (b[from + (i >> 3)] >> (7 - (i & 7))) & 1;
            bits++;
            allOnes &= bit == 1;
            code |= bit;
            int count = COUNT[bits];
            if (code - first < count) {
                int symbol = SORTED[index + code - first];
                if (symbol == EOS) {
                    return new Result(out.toByteArray(), "EOS symbol inside a Huffman-coded string (RFC 7541 §5.2)");
                }
                out.write(symbol);
                code = 0;
                first = 0;
                index = 0;
                bits = 0;
                allOnes = true;
            } else {
                index += count;
                first = (first + count) << 1;
                code <<= 1;
                if (bits == MAX_LENGTH) {
                    return new Result(out.toByteArray(), "no Huffman code matches 30 bits (RFC 7541 Appendix B)");
                }
            }
        }
        if (bits > 7) {
            return new Result(out.toByteArray(), "Huffman padding of " + bits + " bits: at most 7 allowed (RFC 7541 §5.2)");
        }
        if (!allOnes) {
            return new Result(out.toByteArray(), "Huffman padding is not the most significant bits of EOS (all 1s, RFC 7541 §5.2)");
        }
        return new Result(out.toByteArray(), null);
    }
}
