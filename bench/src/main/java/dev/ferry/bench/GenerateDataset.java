package dev.ferry.bench;

import java.nio.file.Path;

/**
 * Makes a benchmark dataset from the command line, for bench/run.sh:
 *
 * <pre>
 *   small  DIR FILES SEED         FILES files of 1-64 KiB
 *   large  DIR FILES BYTES SEED   FILES files of BYTES each
 *   mutate DIR FILES SEED         the incremental step on a small set made with FILES and SEED
 *   entries DIR COUNT             COUNT empty files, a thousand to a directory (for preparing at scale)
 * </pre>
 *
 * Prints one line of JSON: what was made or changed.
 */
public final class GenerateDataset {
    private GenerateDataset() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("generate: " + e.getMessage());
            System.exit(2);
        }
    }

    static String run(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: small DIR FILES SEED | large DIR FILES BYTES SEED | mutate DIR FILES SEED"
                    + " | entries DIR COUNT");
        }
        switch (args[0]) {
            case "small" -> {
                require(args, 4);
                Datasets.Shape s = Datasets.small(Path.of(args[1]), count(args[2]), Long.parseLong(args[3]));
                return "{\"files\":" + s.files() + ",\"bytes\":" + s.bytes() + "}";
            }
            case "large" -> {
                require(args, 5);
                Datasets.Shape s = Datasets.large(Path.of(args[1]), count(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
                return "{\"files\":" + s.files() + ",\"bytes\":" + s.bytes() + "}";
            }
            case "mutate" -> {
                require(args, 4);
                Datasets.Changes c = Datasets.mutate(Path.of(args[1]), count(args[2]), Long.parseLong(args[3]));
                return "{\"modifiedSameSize\":" + c.modifiedSameSize() + ",\"modifiedResized\":" + c.modifiedResized()
                        + ",\"added\":" + c.added() + ",\"deleted\":" + c.deleted() + "}";
            }
            case "entries" -> {
                require(args, 3);
                Datasets.Shape s = Datasets.entries(Path.of(args[1]), count(args[2]));
                return "{\"files\":" + s.files() + ",\"bytes\":0}";
            }
            default -> throw new IllegalArgumentException("unknown dataset '" + args[0] + "': small, large, mutate or entries");
        }
    }

    private static void require(String[] args, int n) {
        if (args.length != n) {
            throw new IllegalArgumentException(args[0] + " takes " + (n - 1) + " arguments, got " + (args.length - 1));
        }
    }

    private static int count(String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException("FILES must be at least 1, got " + n);
        }
        return n;
    }
}
