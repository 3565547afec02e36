import type { CompletionShell } from './shells.js';

/**
 * The scripts `dvas completion <shell>` prints. Each is a shim, the GitHub CLI's (cobra's) model:
 * on Tab it hands the words typed so far, the partial one last, to `dvas __complete`, and offers
 * the lines that come back; bash hands the line itself to `dvas __complete-bash`, since the words
 * bash would hand over are not those dvas gets (bash-line.ts). What can be completed is worked out by dvas from its own program at
 * run time (complete.ts), so a new command or option needs no change here. When dvas offers
 * nothing, each shell falls back to completing file names (--file, --seed, a path for `api`).
 */
export function completionScript(shell: CompletionShell): string {
  return SCRIPTS[shell];
}

const BASH = `# dvas completion for bash. Load it in ~/.bashrc:  source <(dvas completion bash)
_dvas() {
  local line
  COMPREPLY=()
  # The line as typed up to the cursor, and where bash breaks words: dvas splits and unquotes the
  # line as bash will run it, and answers with what goes in place of the end of the word being
  # typed (after "--output=" the format alone). COMP_WORDS splits "sam@contoso.com" in three and
  # keeps quotes on, so it is not used.
  while IFS= read -r line; do
    [ -n "$line" ] && COMPREPLY+=("$line")
  done < <(command dvas __complete-bash "\${COMP_LINE:0:COMP_POINT}" "$COMP_WORDBREAKS" 2>/dev/null)
  return 0
}
# -o default: where dvas offers nothing (a file to read), readline completes file names.
complete -o default -F _dvas dvas
`;

const ZSH = `#compdef dvas
# dvas completion for zsh. Load it in ~/.zshrc (after compinit):  source <(dvas completion zsh)
# or save it as _dvas in a directory of $fpath.
_dvas() {
  local -a candidates
  # The words after "dvas" up to the one under the cursor, unquoted as dvas will see them.
  candidates=("\${(@f)$(command dvas __complete "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null)}")
  candidates=("\${(@)candidates:#}")
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
if [ "\${funcstack[1]}" = "_dvas" ]; then
  _dvas "$@"
else
  compdef _dvas dvas
fi
`;

const FISH = `# dvas completion for fish. Load it:  dvas completion fish | source
# or save it as ~/.config/fish/completions/dvas.fish.
function __dvas_complete
    # The words after "dvas" before the cursor, then the one being typed, unquoted as the others
    # (commandline -ct gives it as typed: "'pr").
    set -l words (commandline -opc)[2..-1]
    set -l current (commandline -ct | string unescape)
    set -l candidates (command dvas __complete $words "$current" 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\\n' $candidates
    else
        __fish_complete_path "$current"
    end
end
complete -c dvas -f -a '(__dvas_complete)'
`;

const POWERSHELL = `# dvas completion for PowerShell. Load it in $PROFILE:
#   dvas completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName dvas -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    # The words after "dvas" as dvas will get them: a quoted word without its quotes, and the word
    # under the cursor only up to the cursor ("" after a space).
    $words = @()
    $current = $null
    foreach ($element in @($commandAst.CommandElements | Select-Object -Skip 1)) {
        $extent = $element.Extent
        if ($extent.StartOffset -ge $cursorPosition) { break }
        if ($extent.EndOffset -lt $cursorPosition) {
            if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst] -or
                $element -is [System.Management.Automation.Language.ExpandableStringExpressionAst]) {
                $words += $element.Value
            } else {
                $words += $extent.Text
            }
        } else {
            $current = $extent.Text.Substring(0, $cursorPosition - $extent.StartOffset)
        }
    }
    if ($null -eq $current) {
        $current = ''
    } elseif ($current -match '^[''"]') {
        # A quote opened, and maybe closed: no candidate holds one.
        $current = $current.Substring(1).TrimEnd([char]$current[0]).Replace([string]$current[0] * 2, [string]$current[0])
    }
    if ($current -eq '' -and ($PSVersionTable.PSVersion -lt [version]'7.3' -or $PSNativeCommandArgumentPassing -eq 'Legacy')) {
        # Windows PowerShell and PowerShell before 7.3 drop an empty argument to a program; '""'
        # reaches it as one.
        $current = '""'
    }
    $words += $current
    # No answer: PowerShell completes file names instead.
    & dvas __complete @words 2>$null | Where-Object { $_ -ne '' } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;

const SCRIPTS: Readonly<Record<CompletionShell, string>> = { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL };
