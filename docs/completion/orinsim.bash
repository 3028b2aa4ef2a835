# bash completion for orinsim. Installed to share/bash-completion/completions/orinsim.
# Completes subcommands, each subcommand's options (from its --help), module names
# (`orinsim skus`), zoo networks (`orinsim zoo list`) and file names.
_orinsim()
{
    local cur prev sub words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
    }
    local subs="run skus sku zoo import validate sweep study diff view check compare profile bench"
    sub=
    local i
    for ((i = 1; i < cword; i++)); do
        case " $subs " in *" ${words[i]} "*) sub=${words[i]}; break ;; esac
    done
    case $prev in
        --sku|--compare)
            COMPREPLY=($(compgen -W "$(orinsim skus 2>/dev/null | awk '/^[a-z0-9-]+ /{print $1}')" -- "$cur"))
            compopt -o filenames 2>/dev/null
            COMPREPLY+=($(compgen -f -X '!*.yaml' -- "$cur"))
            return ;;
        --json|--junit|--timeline|--screenshot|--save|--registry|--font|-o|--output)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --clocks) COMPREPLY=($(compgen -W "pinned dvfs" -- "$cur")); return ;;
        --timeline-detail) COMPREPLY=($(compgen -W "frames tasks kernels sm" -- "$cur")); return ;;
        --timeline-window|--duration|--repeat) return ;;
        --engine) COMPREPLY=($(compgen -W "gpu dla dla0 dla1 gpu+2dla" -- "$cur")); return ;;
        --dtype|--io-dtype|--int8-fallback)
            COMPREPLY=($(compgen -W "fp32 tf32 fp16 bf16 int8 int4" -- "$cur")); return ;;
        --sparsity) COMPREPLY=($(compgen -W "dense 2:4" -- "$cur")); return ;;
        --runtime) COMPREPLY=($(compgen -W "tensorrt ultralytics" -- "$cur")); return ;;
        --mode|--frames|--fps|--period|--budget|--threads|--threshold|--case|--batch|--deadline|--shard)
            return ;;
    esac
    if [ "$sub" = zoo ] && [ "$prev" = zoo ]; then
        COMPREPLY=($(compgen -W "list $(orinsim zoo list 2>/dev/null | awk '/^[a-z]/{print $1}')" -- "$cur"))
        return
    fi
    if [ "$sub" = study ] && [ "$prev" = study ]; then
        COMPREPLY=($(compgen -W "merge" -- "$cur"))
        compopt -o filenames 2>/dev/null
        COMPREPLY+=($(compgen -f -X '!*.yaml' -- "$cur"))
        return
    fi
    if [ "$sub" = bench ] && [ "$prev" = bench ]; then
        COMPREPLY=($(compgen -W "phold replay" -- "$cur")); return
    fi
    if [[ $cur == -* ]]; then
        local helpof=${sub:-run}
        if [ "$sub" = bench ]; then
            helpof="bench phold"
            case " ${words[*]} " in *" replay "*) helpof="bench replay" ;; esac
        fi
        COMPREPLY=($(compgen -W "$(orinsim $helpof --help 2>/dev/null | grep -o -- '--[a-z0-9-]*' | sort -u)" -- "$cur"))
        return
    fi
    if [ -z "$sub" ]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    fi
    compopt -o filenames 2>/dev/null
    COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -F _orinsim orinsim
