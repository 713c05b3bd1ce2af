{
  # Offline stand-in for nixpkgs, used only by test/nix/flake.test.ts through
  #   --override-input nixpkgs path:<abs path of this directory>
  # It exposes just what ../../flake.nix uses (lib.genAttrs, lib.optionals,
  # legacyPackages.<system>.{mkShell, writeShellApplication, stdenv, nodejs_22,
  # python3, pkg-config, gnumake, cctools}).  Packages are tiny
  # derivations that link the host's own tools, so nothing is downloaded.
  # node and npm are wrappers (node.sh, npm.sh) that can log their calls and
  # fake `npm ci` / `npm start`; see those files.
  description = "offline nixpkgs stand-in for the Cardtrail flake test";

  outputs = { self }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
      optionals = cond: xs: if cond then xs else [ ];
      makeBinPath = pkgs: builtins.concatStringsSep ":" (map (p: "${p}/bin") pkgs);
      lib = { inherit genAttrs optionals makeBinPath; };
      hostPath = "/usr/local/bin:/usr/bin:/bin";

      pkgsFor = system:
        let
          isDarwin = builtins.match ".*-darwin" system != null;

          # $out/bin/<tool> -> the host's <tool>, for each tool the host has.
          hostTools = name: tools: builtins.derivation {
            name = "stub-${name}";
            inherit system;
            builder = "/bin/sh";
            PATH = hostPath;
            args = [ "-c" ''
              set -e
              mkdir -p "$out/bin"
              for t in ${toString tools}; do
                if p=$(command -v "$t"); then ln -s "$p" "$out/bin/$t"; fi
              done
            '' ];
          };

          # node and npm as wrappers around the host's, see node.sh / npm.sh.
          nodejs = builtins.derivation {
            name = "stub-nodejs";
            inherit system;
            builder = "/bin/sh";
            PATH = hostPath;
            nodeWrapper = ./node.sh;
            npmWrapper = ./npm.sh;
            args = [ "-c" ''
              set -e
              mkdir -p "$out/bin"
              node=$(command -v node)
              npm=$(command -v npm)
              sed "s|@hostTool@|$node|" "$nodeWrapper" > "$out/bin/node"
              sed "s|@hostTool@|$npm|" "$npmWrapper" > "$out/bin/npm"
              chmod +x "$out/bin/node" "$out/bin/npm"
            '' ];
          };

          stdenv = {
            inherit isDarwin;
            isLinux = !isDarwin;
            hostPlatform = { inherit system isDarwin; isLinux = !isDarwin; };
            cc = hostTools "cc" [ "cc" "c++" "gcc" "g++" "ld" "ar" ];
          };

          # Like nixpkgs' mkShell as far as `nix develop` cares: a bash-built
          # derivation with outputs = [ "out" ] whose environment carries the
          # shellHook, with PATH made of the packages plus the stdenv's compiler.
          mkShell = { name ? "nix-shell", packages ? [ ], nativeBuildInputs ? [ ], buildInputs ? [ ], inputsFrom ? [ ], shellHook ? "", ... }@args:
            let inputs = packages ++ nativeBuildInputs ++ buildInputs ++ [ stdenv.cc ];
            in builtins.derivation ((removeAttrs args [ "packages" "nativeBuildInputs" "buildInputs" "inputsFrom" ]) // {
              inherit name system shellHook;
              builder = "/bin/bash"; # `nix develop` requires a builder named bash
              args = [ "-c" "echo 'stub mkShell: use nix develop' > $out" ];
              outputs = [ "out" ];
              PATH = makeBinPath inputs;
              stubShellInputs = map (p: p.name) inputs;
            });

          # Like nixpkgs' writeShellApplication, including its build-time
          # checks (bash -n, then shellcheck when the host has it).
          writeShellApplication = { name, text, runtimeInputs ? [ ], excludeShellChecks ? [ ], ... }: builtins.derivation {
            inherit name system;
            builder = "/bin/sh";
            PATH = hostPath;
            shellcheckExclude = builtins.concatStringsSep "," excludeShellChecks;
            script = ''
              #!/bin/bash
              set -o errexit
              set -o nounset
              set -o pipefail

              export PATH="${makeBinPath runtimeInputs}:$PATH"

              ${text}
            '';
            args = [ "-c" ''
              set -e
              mkdir -p "$out/bin"
              printf '%s' "$script" > "$out/bin/$name"
              chmod +x "$out/bin/$name"
              /bin/bash -n -O extglob "$out/bin/$name"
              if command -v shellcheck >/dev/null 2>&1; then
                shellcheck ''${shellcheckExclude:+--exclude="$shellcheckExclude"} "$out/bin/$name"
              fi
            '' ];
          };
        in
        {
          inherit lib mkShell writeShellApplication stdenv;
          nodejs_22 = nodejs;
          python3 = hostTools "python3" [ "python3" ];
          pkg-config = hostTools "pkg-config" [ "pkg-config" ];
          gnumake = hostTools "gnumake" [ "make" ];
          cctools = hostTools "cctools" [ "libtool" ];
          bashInteractive = hostTools "bash" [ "bash" ];
        };
    in
    {
      inherit lib;
      legacyPackages = genAttrs systems pkgsFor;
    };
}
