{
  description = "Cardtrail: multi-step workflows in the browser, card by card (dev shell and `nix run`)";

  # nixpkgs is the only input; the per-system helper below replaces flake-utils.
  # The first `nix develop` / `nix run` writes flake.lock, which pins it.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # Shell functions shared by the dev shell's shellHook and the `nix run` app.
      shellLib = builtins.readFile ./nix/cardtrail-shell.sh;

      # What `npm ci` needs: Node (an LTS line, package.json says >=20) and what
      # better-sqlite3 needs when no prebuilt binary fits and node-gyp compiles
      # it: python3, make, pkg-config and a C/C++ compiler.  mkShell's stdenv
      # already brings the compiler (gcc on Linux, clang on macOS), so none is
      # forced here.  On macOS gyp also runs libtool for sqlite's static
      # library, so add cctools, as nixpkgs' own buildNpmPackage does.
      buildTools = pkgs:
        [ pkgs.nodejs_22 pkgs.python3 pkgs.pkg-config pkgs.gnumake ]
        ++ pkgs.lib.optionals pkgs.stdenv.hostPlatform.isDarwin [ pkgs.cctools ];
    in
    {
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          name = "cardtrail-dev";
          packages = buildTools pkgs;
          # Installs npm dependencies only when package-lock.json changed
          # (npm ci), then prints how to start and test.  Opt-in, off by
          # default: CARDTRAIL_AUTOSTART=1, CARDTRAIL_UPDATE=1 (docs/nix.md).
          shellHook = shellLib + ''
            __cardtrail_shell_hook
            __cardtrail_forget
          '';
        };
      });

      apps = forAllSystems (pkgs:
        let
          cardtrail = pkgs.writeShellApplication {
            name = "cardtrail";
            # The dev shell's stdenv brings a compiler; an app has none, so
            # name the stdenv's own (clang on macOS, gcc on Linux).
            runtimeInputs = buildTools pkgs ++ [ pkgs.stdenv.cc ];
            # The shared file also holds the dev-shell-only functions, which
            # this script never calls.
            excludeShellChecks = [ "SC2317" "SC2329" ];
            text = shellLib + ''
              __cardtrail_run "$@"
            '';
          };
        in
        {
          default = {
            type = "app";
            program = "${cardtrail}/bin/cardtrail";
            meta.description = "Install Cardtrail's npm dependencies if needed, then npm start";
          };
        });
    };
}
