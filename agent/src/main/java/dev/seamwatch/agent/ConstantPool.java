package dev.seamwatch.agent;

/**
 * Reads just enough of a class file to tell whether its constant pool mentions a package: every
 * type a class implements, extends, calls or names in a signature appears there as UTF-8 text. It
 * never throws; on anything unexpected it answers "yes" and lets Byte Buddy decide.
 */
final class ConstantPool {

  private ConstantPool() {}

  static boolean mentionsAny(byte[] classFile, byte[][] needles) {
    try {
      if (classFile.length < 10 || u4(classFile, 0) != 0xCAFEBABE) {
        return true;
      }
      int count = u2(classFile, 8);
      int at = 10;
      for (int index = 1; index < count; index++) {
        int tag = classFile[at] & 0xFF;
        switch (tag) {
          case 1: // Utf8
            int length = u2(classFile, at + 1);
            for (byte[] needle : needles) {
              if (contains(classFile, at + 3, length, needle)) {
                return true;
              }
            }
            at += 3 + length;
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            at += 5;
            break;
          case 5: // Long
          case 6: // Double
            at += 9;
            index++; // takes two slots
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            at += 3;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          default:
            return true;
        }
      }
      return false;
    } catch (RuntimeException malformed) {
      return true;
    }
  }

  private static boolean contains(byte[] data, int from, int length, byte[] needle) {
    int last = from + length - needle.length;
    byte first = needle[0];
    for (int i = from; i <= last; i++) {
      if (data[i] == first) {
        int j = 1;
        while (j < needle.length && data[i + j] == needle[j]) {
          j++;
        }
        if (j == needle.length) {
          return true;
        }
      }
    }
    return false;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int u4(byte[] b, int at) {
    return (u2(b, at) << 16) | u2(b, at + 2);
  }
}
