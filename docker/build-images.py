#!/usr/bin/env python3
"""Builds the Facecast container images without a Docker daemon or a registry.

The base layer is assembled from this machine: a jlink'd Java runtime plus exactly the shared libraries it and
webrtc-java's native library link (found with ldd), plus libespeak-ng (which the renderer loads through JNA at run
time, so no ldd of Java finds it), its own ldd closure and its voice data, at the paths Debian gives them; on a
machine without espeak-ng the images are built without it and the renderer lists espeak voices as unavailable.
Each image adds one app layer: the module's jar and its lib/.
The result is one `docker save`-format archive holding the three images (they share the base layer):

    python3 docker/build-images.py            # after ./mvnw -DskipTests package; writes target/images/facecast-images.tar
    python3 docker/build-images.py --verify   # also unpacks each image and runs it in a chroot (needs root)

Where Docker exists: `docker load -i target/images/facecast-images.tar && docker-compose up`.
"""
import argparse, hashlib, io, json, os, re, shutil, subprocess, sys, tarfile, tempfile, threading, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERSION = "0.1.0-SNAPSHOT"
MODULES = ["signaling", "renderer", "streamer"]
JAVA_HOME = os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
JLINK_MODULES = "java.se,jdk.unsupported,jdk.httpserver,jdk.crypto.ec,jdk.management,jdk.zipfs,jdk.jfr,jdk.compiler"
# The flags every Facecast JVM needs (Chronicle Queue on JDK 17, no analytics): the same list as ./facecast.
JVM_FLAGS = ["--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
             "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
             "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
             "-Dchronicle.announcer.disable=true", "-Djava.awt.headless=true"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def shared_libs(elf, runtime):
    """Absolute paths ldd resolves for one ELF file (the loader included)."""
    # The java launcher puts the runtime's own lib folders on the search path; ldd must see them too.
    env = dict(os.environ, LD_LIBRARY_PATH=f"{runtime}/lib:{runtime}/lib/server")
    try:
        out = run(["ldd", elf], env=env)
    except subprocess.CalledProcessError:
        return set()
    libs = set()
    for line in out.splitlines():
        if "not found" in line:
            sys.exit(f"{elf}: {line.strip()} — install the package that provides it (see .ci/run)")
        m = re.search(r"(/\S+)\s+\(0x", line)
        if m:
            libs.add(m.group(1))
    return libs


# libespeak-ng is dlopen'ed by JNA, and finds its data at the path it was compiled with (Debian: next to it).
ESPEAK_LIB_DIRS = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib", "/usr/lib64"]


def espeak_files():
    """(library, data folder) of this machine's espeak-ng, or None when it is not installed."""
    for d in ESPEAK_LIB_DIRS:
        lib = os.path.join(d, "libespeak-ng.so.1")
        data = [os.path.join(x, "espeak-ng-data") for x in (d, "/usr/share")]
        data = [x for x in data if os.path.isfile(os.path.join(x, "phontab"))]
        if os.path.exists(lib) and data:
            return lib, data[0]
    return None


def build_rootfs(rootfs, webrtc_so):
    runtime = os.path.join(rootfs, "opt", "java")
    run([os.path.join(JAVA_HOME, "bin", "jlink"), "--add-modules", JLINK_MODULES, "--strip-debug", "--no-man-pages",
         "--no-header-files", "--compress=2", "--output", runtime])
    elves = [webrtc_so]
    for d, _, files in os.walk(runtime):
        elves += [os.path.join(d, f) for f in files if f.endswith(".so") or d.endswith("bin")]
    espeak = espeak_files()
    if espeak:
        elves.append(espeak[0])
    else:
        print("espeak-ng: not installed on this machine (apt-get install espeak-ng); the images are built without it "
              "and list no espeak voices")
    libs = set()
    for e in elves:
        libs |= shared_libs(e, runtime)
    if espeak:
        lib, data = espeak
        libs.add(lib)  # the soname link the renderer asks for: copied below as a file of that name
        shutil.copytree(data, os.path.join(rootfs, data.lstrip("/")), symlinks=True)
    for lib in sorted(libs):
        if lib.startswith(runtime):
            continue
        dest = os.path.join(rootfs, lib.lstrip("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.realpath(lib), dest)
    etc = os.path.join(rootfs, "etc")
    os.makedirs(etc, exist_ok=True)
    files = {"passwd": "root:x:0:0:root:/root:/bin/sh\nfacecast:x:1000:1000::/app:/bin/false\n",
             "group": "root:x:0:\nfacecast:x:1000:\n",
             "hosts": "127.0.0.1 localhost\n::1 localhost\n",
             "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files dns\n"}
    for name, text in files.items():
        with open(os.path.join(etc, name), "w") as f:
            f.write(text)
    for d in ["tmp", "bus", "proc", "dev", "root"]:
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    os.chmod(os.path.join(rootfs, "tmp"), 0o1777)
    os.chmod(os.path.join(rootfs, "bus"), 0o1777)


def layer_tar(src_dir, prefix=""):
    """A deterministic, uncompressed layer tar of src_dir (paths relative to /)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d, dirs, files in os.walk(src_dir):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                path = os.path.join(d, name)
                arc = os.path.join(prefix, os.path.relpath(path, src_dir))
                info = tar.gettarinfo(path, arcname=arc)
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = 0
                if info.isfile():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return buf.getvalue()


def app_layer(module):
    target = os.path.join(ROOT, module, "target")
    jar = os.path.join(target, f"facecast-{module}.jar")
    if not os.path.exists(jar):
        sys.exit(f"{jar} is missing: run ./mvnw -B -DskipTests package first")
    with tempfile.TemporaryDirectory() as tmp:
        app = os.path.join(tmp, "app")
        shutil.copytree(os.path.join(target, "lib"), os.path.join(app, "lib"))
        shutil.copy2(jar, os.path.join(app, "app.jar"))
        return layer_tar(tmp)


def module_jvm_options(module):
    """The streamer's and renderer's collector and heap (<module>/jvm.options, docs/performance.md); others: none."""
    path = os.path.join(ROOT, module, "jvm.options")
    if module not in ("streamer", "renderer") or not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def image_config(module, diff_ids):
    return {
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "MALLOC_ARENA_MAX=2"],
            "Entrypoint": ["/opt/java/bin/java"] + JVM_FLAGS + module_jvm_options(module) + ["-jar", "/app/app.jar"],
            "WorkingDir": "/app", "User": "1000:1000",
            "Labels": {"org.opencontainers.image.title": f"facecast-{module}",
                       "org.opencontainers.image.version": VERSION},
        },
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for d in diff_ids]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "facecast docker/build-images.py"}],
    }


def webrtc_native(tmp):
    jars = [os.path.join(ROOT, "streamer", "target", "lib", f) for f in os.listdir(os.path.join(ROOT, "streamer", "target", "lib"))
            if f.startswith("webrtc-java") and "linux-x86_64" in f]
    if not jars:
        sys.exit("webrtc-java's linux-x86_64 jar is not in streamer/target/lib: build the streamer first")
    with zipfile.ZipFile(jars[0]) as z:
        name = next(n for n in z.namelist() if n.endswith(".so"))
        return z.extract(name, tmp)


def build(out):
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        rootfs = os.path.join(tmp, "rootfs")
        build_rootfs(rootfs, webrtc_native(tmp))
        layers = {"base": layer_tar(rootfs)}
    for m in MODULES:
        layers[m] = app_layer(m)
    digests = {k: hashlib.sha256(v).hexdigest() for k, v in layers.items()}
    manifest = []
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with tarfile.open(out, "w") as archive:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 0
            archive.addfile(info, io.BytesIO(data))
        for k, data in layers.items():
            add(f"{digests[k]}/layer.tar", data)
        for m in MODULES:
            config = json.dumps(image_config(m, [digests["base"], digests[m]]), sort_keys=True).encode()
            config_name = hashlib.sha256(config).hexdigest() + ".json"
            add(config_name, config)
            manifest.append({"Config": config_name, "RepoTags": [f"facecast/{m}:{VERSION}"],
                             "Layers": [f"{digests['base']}/layer.tar", f"{digests[m]}/layer.tar"]})
        add("manifest.json", json.dumps(manifest, indent=1).encode())
    sizes = ", ".join(f"{k} {len(v) / 1048576:.1f} MiB" for k, v in layers.items())
    print(f"images: {out} ({os.path.getsize(out) / 1048576:.1f} MiB; layers: {sizes}) in {time.time() - t0:.1f} s")
    return manifest


def wait_for(p, expect, timeout):
    """Collects the process's output until `expect` appears, it exits, or the timeout passes; then stops it."""
    lines, found = [], threading.Event()

    def pump():
        for line in p.stdout:
            lines.append(line)
            if expect in line:
                found.set()
        found.set()

    threading.Thread(target=pump, daemon=True).start()
    found.wait(timeout)
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    return "".join(lines)


def verify(out):
    """Unpacks each image as a container runtime would and runs it in a chroot: the proof that it is complete."""
    with tarfile.open(out) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        for image in manifest:
            config = json.load(archive.extractfile(image["Config"]))
            with tempfile.TemporaryDirectory() as rootfs:
                os.chmod(rootfs, 0o755)  # "/" of the image: the unprivileged user must traverse it
                for layer in image["Layers"]:
                    data = archive.extractfile(layer).read()
                    if hashlib.sha256(data).hexdigest() not in " ".join(config["rootfs"]["diff_ids"]):
                        sys.exit(f"{image['RepoTags'][0]}: layer {layer} does not match its diff_id")
                    with tarfile.open(fileobj=io.BytesIO(data)) as layer_tar_file:
                        layer_tar_file.extractall(rootfs)
                entry = config["config"]["Entrypoint"]
                module = image["RepoTags"][0].split("/")[1].split(":")[0]
                args = ["--help"] if module != "streamer" else \
                    ["--port", "0", "--signaling", "127.0.0.1:1", "--bus-root", "/tmp/bus", "--id", "verify",
                     "--tls-dir", "/tmp/tls", "--ops-port", "0"]
                if module == "streamer":  # its control port is mutual TLS: it needs a CA and its own certificate
                    tls = os.path.join(rootfs, "tmp", "tls")
                    run(["java", "-jar", os.path.join(ROOT, "security", "target", "facecast-security.jar"), "local",
                         "--dir", tls, "--streamer", "verify"])
                    for d, _, files in os.walk(tls):
                        for f in [d] + [os.path.join(d, f) for f in files]:
                            os.chown(f, 1000, 1000)
                expect = "listening on" if module == "streamer" else "Usage:"
                proc = os.path.join(rootfs, "proc")
                subprocess.run(["mount", "-t", "proc", "proc", proc], check=True)
                try:
                    p = subprocess.Popen([shutil.which("chroot") or "/usr/sbin/chroot", "--userspec=1000:1000", rootfs]
                                         + entry + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                         env={"PATH": "/opt/java/bin"})
                    output = wait_for(p, expect, timeout=90)
                finally:
                    subprocess.run(["umount", proc], check=False)
                if expect not in output:
                    sys.exit(f"{image['RepoTags'][0]} did not run in its chroot; output:\n{output}")
                print(f"verified {image['RepoTags'][0]}: ran {entry[0]} in the unpacked image ({expect!r})")
                if module == "renderer":
                    verify_espeak(rootfs, entry)


def verify_espeak(rootfs, entry):
    """The renderer image lists espeak-ng voices and speaks with one, as a session would (or says why it can not)."""
    proc = os.path.join(rootfs, "proc")
    subprocess.run(["mount", "-t", "proc", "proc", proc], check=True)
    try:
        p = subprocess.run([shutil.which("chroot") or "/usr/sbin/chroot", "--userspec=1000:1000", rootfs] + entry
                           + ["voices", "--voice", "espeak:en-us", "--say", "Hello from the image."],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={"PATH": "/opt/java/bin"},
                           timeout=120)
    finally:
        subprocess.run(["umount", proc], check=False)
    summary = [line for line in p.stdout.splitlines() if line.startswith("espeak")]
    if espeak_files() is None:
        print("espeak-ng in facecast/renderer: " + "; ".join(summary))
        return
    if p.returncode != 0 or not any(line.startswith("espeak-ng: ") and "voices at" in line for line in summary):
        sys.exit(f"facecast/renderer: espeak-ng voices do not work in the image (exit {p.returncode}):\n{p.stdout}")
    print("verified espeak-ng in facecast/renderer: " + "; ".join(line for line in summary if not line.startswith("espeak ")))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "images", "facecast-images.tar"))
    ap.add_argument("--verify", action="store_true", help="run each image in a chroot (root only)")
    a = ap.parse_args()
    build(a.out)
    if a.verify:
        verify(a.out)
