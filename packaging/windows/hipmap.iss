; Inno Setup 6 or 7 script for hipmap: dist\hipmap-<version>-setup.exe from the PyInstaller
; bundle.
;
;   iscc /DAppVersion=0.2.0rc1 /DAppNumericVersion=0.2.0.30001 packaging\windows\hipmap.iss
;
; (packaging\build.py runs it with the version from pyproject.toml, its numeric form and
; absolute paths.) Defines, all optional except AppVersion:
;   AppVersion  the version, e.g. 0.2.0rc1                     (required: /DAppVersion=...)
;   AppNumericVersion  four numbers for the version resource, e.g. 0.2.0.30001 (build.py's
;               numeric_version(); VersionInfoVersion takes no "rc1"); default: AppVersion
;   SourceDir   the one-folder bundle     default: ..\..\dist\hipmap
;   IconFile    the setup's icon          default: ..\..\build\icons\hipmap.ico
;   OutputDir   where setup.exe goes      default: ..\..\dist   (iscc /O<dir> overrides it)
;   SignTool    the name of a sign tool configured in the Inno Setup IDE or given as
;               iscc "/Shipmapsign=signtool.exe sign /fd sha256 ... $f" /DSignTool=hipmapsign;
;               unset = an unsigned installer (see packaging\README.md, "Signing")
;
; Installs per user (no administrator rights, %LOCALAPPDATA%\Programs\hipmap) or for all
; users (Program Files), chosen in a dialog at start; /ALLUSERS or /CURRENTUSER on the
; command line choose without asking.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\hipmap.iss
#endif
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\..\dist\hipmap"
#endif
#ifndef IconFile
  #define IconFile AddBackslash(SourcePath) + "..\..\build\icons\hipmap.ico"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#ifndef AppNumericVersion
  #define AppNumericVersion AppVersion
#endif
#define AppExe "hipmap.exe"
; With a sign tool, hipmap.exe and hipmapc.exe are signed (in dist\hipmap, before they are
; stored) unless they already are: the [Files] flag "signonce".
#ifdef SignTool
  #define SignExe "signonce"
#else
  #define SignExe ""
#endif
; The ProgID of hipmap drawings (see [Registry] for why .json and not .hipmap.json).
#define ProgId "hipmap.drawing"

[Setup]
; AppId identifies hipmap to Windows' uninstall list across versions: never change it.
AppId={{F444C9D2-5D40-43C5-92B8-94C549F5C4F2}
AppName=hipmap
AppVersion={#AppVersion}
AppVerName=hipmap {#AppVersion}
AppPublisher=hipmap contributors
AppCopyright=MIT licence, hipmap contributors
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductName=hipmap
DefaultDirName={autopf}\hipmap
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per-user by default; the dialog offers "install for all users" (asks for elevation).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
OutputDir={#OutputDir}
OutputBaseFilename=hipmap-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName=hipmap {#AppVersion}
; The strongest LZMA2 setting (64 MB dictionary; setup needs ~70 MB of memory to unpack),
; one solid stream, compressed in a separate process (the compiler keeps its memory low).
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
; Tell Explorer to refresh file-type icons after (un)installing.
ChangesAssociations=yes
; Close a running hipmap before replacing its files.
CloseApplications=yes
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "kioskdesktopicon"; Description: "Create a desktop shortcut for the patient kiosk (hipmap kiosk)"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "openwith"; Description: "Offer hipmap in ""Open with"" for .hipmap.json drawings"; GroupDescription: "File types:"

[InstallDelete]
; An upgrade must not mix two versions: [Files] overwrites but never deletes, so the old
; _internal\ would keep, e.g., hipmap-<old>.dist-info beside the new one, and
; importlib.metadata (--version, About) would report the old version. Remove it first.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole one-folder bundle: hipmap.exe (windowed), hipmapc.exe (console, for the command
; line) and _internal\ with Python, Qt and the assets.
Source: "{#SourceDir}\hipmap.exe"; DestDir: "{app}"; Flags: ignoreversion {#SignExe}
Source: "{#SourceDir}\hipmapc.exe"; DestDir: "{app}"; Flags: ignoreversion {#SignExe}
Source: "{#SourceDir}\*"; Excludes: "\hipmap.exe,\hipmapc.exe"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#IconFile}"; DestDir: "{app}"; DestName: "hipmap-document.ico"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\hipmap"; Filename: "{app}\{#AppExe}"; Comment: "Paint where it hurts, from the hip toward the knee"
Name: "{autoprograms}\hipmap kiosk"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"; Comment: "hipmap's patient kiosk (full screen)"
Name: "{autodesktop}\hipmap"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon
Name: "{autodesktop}\hipmap kiosk"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"; Tasks: kioskdesktopicon

[Registry]
; File association. Windows decides a file's type by its LAST extension only: for
; "knee.hipmap.json" that is ".json", and a key "Software\Classes\.hipmap.json" would never
; be consulted. So hipmap cannot own .hipmap.json files (nor give only them their own icon)
; without taking over every .json file, which it must not do. What works, and is done here:
;  - a ProgID "hipmap.drawing" with hipmap's document icon and an open command;
;  - that ProgID listed under .json\OpenWithProgids, so "Open with" offers hipmap (with its
;    icon) for drawings, and a user may choose "Always" for them; JSON stays with its owner;
;  - Applications\hipmap.exe\SupportedTypes, so hipmap is listed for .json in "Open with".
; HKA = HKLM\Software\Classes for an all-users install, HKCU\Software\Classes per user.
; Every key and value below is removed by the uninstaller (uninsdeletekey/-value).
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "hipmap pain drawing"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\hipmap-document.ico,0"; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "hipmap"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: openwith

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,hipmap}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python's byte-code caches and anything else the app wrote next to itself. The user's
; drawings and the recovery file in %APPDATA%\hipmap\hipmap are theirs: kept.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
