package dev.ferry.locations.nfs;

import dev.ferry.locations.LocationException;

/** An NFSv3 status other than NFS3_OK, with Ferry's stable code for it. */
final class Nfs3Exception extends LocationException {
    private static final long serialVersionUID = 1L;
    static final int NOENT = 2;
    static final int ACCES = 13;
    static final int EXIST = 17;
    static final int NOTDIR = 20;
    static final int ISDIR = 21;
    static final int NOTEMPTY = 66;
    static final int STALE = 70;
    static final int BADHANDLE = 10001;
    static final int NOTSUPP = 10004;
    static final int JUKEBOX = 10008;

    private final int status;

    Nfs3Exception(int status, String what) {
        super(code(status), what + ": " + name(status) + " (" + status + ")");
        this.status = status;
    }

    int status() {
        return status;
    }

    private static String code(int status) {
        return switch (status) {
            case 1, ACCES -> "ACCESS_DENIED";
            case NOENT -> "NOT_FOUND";
            case EXIST -> "ALREADY_EXISTS";
            case NOTDIR -> "NOT_A_DIRECTORY";
            case ISDIR -> "TYPE_CONFLICT";
            case 28, 69 -> "NO_SPACE";
            case 30 -> "READ_ONLY";
            case 63 -> "INVALID_PATH";
            case NOTEMPTY -> "DIRECTORY_NOT_EMPTY";
            case STALE, BADHANDLE -> "NFS_STALE_HANDLE";
            case NOTSUPP -> "NOT_SUPPORTED";
            default -> "NFS_" + name(status).replaceFirst("^NFS3ERR_", "");
        };
    }

    static String name(int status) {
        return switch (status) {
            case 1 -> "NFS3ERR_PERM";
            case NOENT -> "NFS3ERR_NOENT";
            case 5 -> "NFS3ERR_IO";
            case 6 -> "NFS3ERR_NXIO";
            case ACCES -> "NFS3ERR_ACCES";
            case EXIST -> "NFS3ERR_EXIST";
            case 18 -> "NFS3ERR_XDEV";
            case 19 -> "NFS3ERR_NODEV";
            case NOTDIR -> "NFS3ERR_NOTDIR";
            case ISDIR -> "NFS3ERR_ISDIR";
            case 22 -> "NFS3ERR_INVAL";
            case 27 -> "NFS3ERR_FBIG";
            case 28 -> "NFS3ERR_NOSPC";
            case 30 -> "NFS3ERR_ROFS";
            case 31 -> "NFS3ERR_MLINK";
            case 63 -> "NFS3ERR_NAMETOOLONG";
            case NOTEMPTY -> "NFS3ERR_NOTEMPTY";
            case 69 -> "NFS3ERR_DQUOT";
            case STALE -> "NFS3ERR_STALE";
            case 71 -> "NFS3ERR_REMOTE";
            case BADHANDLE -> "NFS3ERR_BADHANDLE";
            case 10002 -> "NFS3ERR_NOT_SYNC";
            case 10003 -> "NFS3ERR_BAD_COOKIE";
            case NOTSUPP -> "NFS3ERR_NOTSUPP";
            case 10005 -> "NFS3ERR_TOOSMALL";
            case 10006 -> "NFS3ERR_SERVERFAULT";
            case 10007 -> "NFS3ERR_BADTYPE";
            case JUKEBOX -> "NFS3ERR_JUKEBOX";
            default -> "NFS3ERR_" + status;
        };
    }
}
