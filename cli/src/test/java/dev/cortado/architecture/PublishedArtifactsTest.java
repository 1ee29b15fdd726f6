package dev.cortado.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the reactor publishes and what cortado-bom lists stay the same: the BOM (which has no parent, see
 * bom/pom.xml) has the parent's version and manages every published module, and every module with Java code names
 * its own Automatic-Module-Name.
 */
class PublishedArtifactsTest {

    /** One module's pom, as far as publishing goes. */
    record Module(Path dir, String artifactId, String packaging, boolean published, String moduleName) {
    }

    @Test
    void theBomListsEveryPublishedArtifactAtTheProjectVersion() throws Exception {
        Path root = Repository.root();
        Element parent = pom(root.resolve("pom.xml"));
        Element bom = pom(root.resolve("bom/pom.xml"));
        assertEquals(text(parent, "version"), text(bom, "version"), "cortado-bom's version");
        assertEquals(text(parent, "groupId"), text(bom, "groupId"), "cortado-bom's groupId");

        Set<String> published = new TreeSet<>();
        for (Module m : modules(root)) {
            if (m.published() && !m.artifactId().equals("cortado-bom")) {
                published.add(m.artifactId());
            }
        }
        assertTrue(published.containsAll(Set.of("cortado", "cortado-runtime", "cortado-cpu")), published.toString());

        Set<String> managed = new TreeSet<>();
        Element management = child(bom, "dependencyManagement");
        for (Element dependency : children(child(management, "dependencies"), "dependency")) {
            assertEquals("dev.cortado", text(dependency, "groupId"), "only Cortado's artifacts in the BOM");
            assertEquals("${project.version}", text(dependency, "version"), text(dependency, "artifactId"));
            if (child(dependency, "type") == null) {
                managed.add(text(dependency, "artifactId"));
            }
        }
        assertEquals(published, managed, "published modules vs. cortado-bom's dependencyManagement");
    }

    @Test
    void everyModuleWithCodeNamesItsOwnModule() {
        List<String> names = new ArrayList<>();
        for (Module m : modules(Repository.root())) {
            boolean hasJar = m.packaging().equals("jar")
                    && (m.published() || Files.isDirectory(m.dir().resolve("src/main/java")));
            if (hasJar) {
                assertTrue(m.moduleName() != null && m.moduleName().startsWith("dev.cortado."),
                        m.artifactId() + " sets no cortado.module.name (its jar's Automatic-Module-Name)");
                names.add(m.moduleName());
            }
        }
        assertEquals(names.size(), new HashSet<>(names).size(), "Automatic-Module-Names: " + names);
    }

    private static List<Module> modules(Path root) {
        List<Module> modules = new ArrayList<>();
        Element parent = pom(root.resolve("pom.xml"));
        for (Element module : children(child(parent, "modules"), "module")) {
            Path dir = root.resolve(module.getTextContent().trim());
            Element pom = pom(dir.resolve("pom.xml"));
            Element properties = child(pom, "properties");
            String packaging = child(pom, "packaging") == null ? "jar" : text(pom, "packaging");
            boolean skip = properties != null && child(properties, "cortado.skipPublishing") != null
                    && text(properties, "cortado.skipPublishing").equals("true");
            String moduleName = properties == null || child(properties, "cortado.module.name") == null ? null
                    : text(properties, "cortado.module.name");
            modules.add(new Module(dir, text(pom, "artifactId"), packaging, !skip, moduleName));
        }
        assertTrue(modules.size() > 5, modules.toString());
        return modules;
    }

    private static Element pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The first child element named {@code name}, or null. */
    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            throw new AssertionError(parent.getTagName() + " has no " + name);
        }
        return e.getTextContent().trim();
    }
}
