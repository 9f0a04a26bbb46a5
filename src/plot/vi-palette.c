/* vi-palette.c — Okabe–Ito palette, perceptual colour maps and themes
 *
 * Copyright 2026 The ELBO Lab developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Okabe & Ito, "Color Universal Design" (2008): eight colours told apart
 * under the common colour-vision deficiencies. Viridis and magma are
 * van der Walt & Smith's matplotlib maps (CC0), sampled at 17 stops and
 * interpolated linearly in sRGB (the error is below 1/255 per channel
 * step, invisible at these stop spacings).
 */
#include "config.h"

#include <math.h>

#include "vi-figure-private.h"

#define RGB(r, g, b) { (r) / 255.0, (g) / 255.0, (b) / 255.0, 1.0 }

/* Order: blue, orange, bluish green, vermillion, reddish purple, sky blue,
 * yellow (weak on white, so late), then the foreground. */
static const ViColor okabe_ito[7] = {
  RGB (0x00, 0x72, 0xB2),
  RGB (0xE6, 0x9F, 0x00),
  RGB (0x00, 0x9E, 0x73),
  RGB (0xD5, 0x5E, 0x00),
  RGB (0xCC, 0x79, 0xA7),
  RGB (0x56, 0xB4, 0xE9),
  RGB (0xF0, 0xE4, 0x42),
};

/* On a dark background the blue is too dim; sky blue takes its place. */
static const ViColor okabe_ito_dark[7] = {
  RGB (0x56, 0xB4, 0xE9),
  RGB (0xE6, 0x9F, 0x00),
  RGB (0x00, 0x9E, 0x73),
  RGB (0xD5, 0x5E, 0x00),
  RGB (0xCC, 0x79, 0xA7),
  RGB (0x3D, 0x8E, 0xD0),
  RGB (0xF0, 0xE4, 0x42),
};

static const ViThemeColors themes[] = {
  [VI_THEME_LIGHT] = {
    .background = RGB (0xFF, 0xFF, 0xFF),
    .foreground = RGB (0x22, 0x22, 0x22),
    .muted      = RGB (0x55, 0x55, 0x55),
    .axis       = RGB (0x33, 0x33, 0x33),
    .grid       = RGB (0xE4, 0xE4, 0xE4),
    .legend_bg  = { 1, 1, 1, 0.9 },
    .legend_border = RGB (0xCC, 0xCC, 0xCC),
    .reference  = RGB (0x55, 0x55, 0x55),
    .full_frame = FALSE,
    .grid_on    = TRUE,
    .cycle_dashes = FALSE,
  },
  [VI_THEME_DARK] = {
    .background = RGB (0x24, 0x24, 0x24),
    .foreground = RGB (0xEE, 0xEE, 0xEE),
    .muted      = RGB (0xB0, 0xB0, 0xB0),
    .axis       = RGB (0xC8, 0xC8, 0xC8),
    .grid       = RGB (0x3A, 0x3A, 0x3A),
    .legend_bg  = { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 0.9 },
    .legend_border = RGB (0x55, 0x55, 0x55),
    .reference  = RGB (0xB0, 0xB0, 0xB0),
    .full_frame = FALSE,
    .grid_on    = TRUE,
    .cycle_dashes = FALSE,
  },
  [VI_THEME_PRINT] = {
    .background = RGB (0xFF, 0xFF, 0xFF),
    .foreground = RGB (0x00, 0x00, 0x00),
    .muted      = RGB (0x33, 0x33, 0x33),
    .axis       = RGB (0x00, 0x00, 0x00),
    .grid       = RGB (0xE8, 0xE8, 0xE8),
    .legend_bg  = { 1, 1, 1, 1 },
    .legend_border = RGB (0x00, 0x00, 0x00),
    .reference  = RGB (0x33, 0x33, 0x33),
    .full_frame = TRUE,
    .grid_on    = FALSE,
    .cycle_dashes = TRUE,
  },
};

const ViThemeColors *
vi_theme_colors (ViTheme theme)
{
  if ((guint) theme >= G_N_ELEMENTS (themes))
    theme = VI_THEME_LIGHT;
  return &themes[theme];
}

ViColor
vi_palette_get (ViTheme theme,
                guint   index)
{
  guint k = index % 8;

  if (k == 7)
    return vi_theme_colors (theme)->foreground;
  return theme == VI_THEME_DARK ? okabe_ito_dark[k] : okabe_ito[k];
}

static const double viridis[17][3] = {
  { 0.267004, 0.004874, 0.329415 }, { 0.282327, 0.094955, 0.417331 },
  { 0.278826, 0.175490, 0.483397 }, { 0.258965, 0.251537, 0.524736 },
  { 0.229739, 0.322361, 0.545706 }, { 0.199430, 0.387607, 0.554642 },
  { 0.172719, 0.448791, 0.557885 }, { 0.149039, 0.508051, 0.557250 },
  { 0.127568, 0.566949, 0.550556 }, { 0.120638, 0.625828, 0.533488 },
  { 0.157851, 0.683765, 0.501686 }, { 0.246070, 0.738910, 0.452024 },
  { 0.369214, 0.788888, 0.382914 }, { 0.515992, 0.831158, 0.294279 },
  { 0.678489, 0.863742, 0.189503 }, { 0.845561, 0.887322, 0.099702 },
  { 0.993248, 0.906157, 0.143936 },
};
/* Positions of the viridis stops: table rows 0, 16, …, 240, 255 of 256. */
static const double viridis_pos[17] = {
  0 / 255.0, 16 / 255.0, 32 / 255.0, 48 / 255.0, 64 / 255.0, 80 / 255.0, 96 / 255.0,
  112 / 255.0, 128 / 255.0, 144 / 255.0, 160 / 255.0, 176 / 255.0, 192 / 255.0,
  208 / 255.0, 224 / 255.0, 240 / 255.0, 1.0,
};

static const double magma[17][3] = {
  { 0.001462, 0.000466, 0.013866 }, { 0.039608, 0.031090, 0.133515 },
  { 0.113094, 0.065492, 0.276784 }, { 0.211718, 0.061992, 0.418647 },
  { 0.316654, 0.071690, 0.485380 }, { 0.414709, 0.110431, 0.504662 },
  { 0.512831, 0.148179, 0.507648 }, { 0.613617, 0.181811, 0.498536 },
  { 0.716387, 0.214982, 0.475290 }, { 0.816914, 0.255895, 0.436461 },
  { 0.904281, 0.319610, 0.388137 }, { 0.960949, 0.418323, 0.359630 },
  { 0.986700, 0.535582, 0.382210 }, { 0.996096, 0.653659, 0.446213 },
  { 0.996898, 0.769591, 0.534892 }, { 0.992440, 0.884330, 0.640099 },
  { 0.987053, 0.991438, 0.749504 },
};

static const double uniform[17] = {
  0 / 16.0, 1 / 16.0, 2 / 16.0, 3 / 16.0, 4 / 16.0, 5 / 16.0, 6 / 16.0, 7 / 16.0, 8 / 16.0,
  9 / 16.0, 10 / 16.0, 11 / 16.0, 12 / 16.0, 13 / 16.0, 14 / 16.0, 15 / 16.0, 1.0,
};

static ViColor
interpolate (const double (*stops)[3],
             const double *pos,
             guint         n,
             double        t)
{
  guint i = 0;
  double f;

  while (i + 2 < n && t > pos[i + 1])
    i++;
  f = (t - pos[i]) / (pos[i + 1] - pos[i]);
  f = CLAMP (f, 0, 1);
  return (ViColor) {
    stops[i][0] + f * (stops[i + 1][0] - stops[i][0]),
    stops[i][1] + f * (stops[i + 1][1] - stops[i][1]),
    stops[i][2] + f * (stops[i + 1][2] - stops[i][2]),
    1.0,
  };
}

ViColor
vi_colormap_get (ViColormap map,
                 double     t)
{
  if (isnan (t))
    return (ViColor) { 0, 0, 0, 0 };
  t = CLAMP (t, 0, 1);
  switch (map)
    {
    case VI_COLORMAP_MAGMA:
      return interpolate (magma, uniform, 17, t);
    case VI_COLORMAP_GREYS:
      return (ViColor) { 1 - 0.92 * t, 1 - 0.92 * t, 1 - 0.92 * t, 1 };
    case VI_COLORMAP_VIRIDIS:
    default:
      return interpolate (viridis, viridis_pos, 17, t);
    }
}

void
vi_colormap_stops (ViColormap  map,
                   guint      *n,
                   double     *pos,
                   ViColor    *colors)
{
  *n = 17;
  for (guint i = 0; i < 17; i++)
    {
      pos[i] = map == VI_COLORMAP_VIRIDIS ? viridis_pos[i] : i / 16.0;
      colors[i] = vi_colormap_get (map, pos[i]);
    }
}
