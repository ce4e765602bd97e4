#!/usr/bin/env bash
# What the machine needs beyond Python packages, named by Debian package:
#   Pango (WeasyPrint draws the PDFs with it), a Noto CJK font (Chinese in generated
#   documents, never boxes), poppler-utils (page previews: pdftoppm, pdffonts) and
#   Chromium (browser tests).
# Usage: scripts/check-system.sh [--install]
#   --install  as root with apt-get: install what is missing, then check again.
set -euo pipefail

install=no
for arg in "$@"; do
  case "$arg" in
    --install) install=yes ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "未知参数：$arg（只接受 --install）" >&2; exit 2 ;;
  esac
done

has_library() {
  if command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q "$1"; then
    return 0
  fi
  compgen -G "/usr/lib/*/$1*" >/dev/null || compgen -G "/usr/lib/$1*" >/dev/null
}

has_cjk_font() {
  command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family | grep -q "Noto.*CJK"
}

# Fills $missing with "package|why" lines for whatever is absent.
check() {
  missing=()
  has_library libpango-1.0.so.0 || missing+=("libpango-1.0-0|Pango：WeasyPrint 生成 PDF 所需")
  has_library libpangoft2-1.0.so.0 || missing+=("libpangoft2-1.0-0|PangoFT2：WeasyPrint 生成 PDF 所需")
  command -v fc-list >/dev/null 2>&1 || missing+=("fontconfig|fontconfig：查找中文字体所需")
  has_cjk_font || missing+=("fonts-noto-cjk|中文字体（Noto CJK）：生成的申请表、承诺书和报告模板显示中文所需")
  command -v pdftoppm >/dev/null 2>&1 || missing+=("poppler-utils|pdftoppm/pdffonts：PDF 预览图与测试所需")
  command -v chromium >/dev/null 2>&1 || missing+=("chromium|Chromium：浏览器测试所需")
  return 0
}

check
if [ "${#missing[@]}" -eq 0 ]; then
  echo "系统依赖齐全：Pango、Noto CJK 中文字体、poppler-utils、Chromium。"
  exit 0
fi

package_names() {
  packages=()
  for entry in "${missing[@]}"; do packages+=("${entry%%|*}"); done
}

package_names
if [ "$install" = yes ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装缺少的系统软件包：${packages[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null
  check
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "系统依赖已安装齐全。"
    exit 0
  fi
fi

echo "缺少系统依赖：" >&2
for entry in "${missing[@]}"; do
  echo "  - ${entry%%|*}（${entry#*|}）" >&2
done
package_names
echo "请以 root 身份运行：apt-get install ${packages[*]}" >&2
echo "或：sudo bash scripts/check-system.sh --install（即 make check-system）" >&2
exit 1
