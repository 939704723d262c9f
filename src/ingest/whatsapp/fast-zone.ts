// Zone offsets for the WhatsApp readers, read the cheap way (see FastZoneConverter).
import { parseFixedOffset, ZoneConverter } from '../../util/time.js';

/**
 * ZoneConverter with offsets read from `Intl.DateTimeFormat#format` rather than `formatToParts`
 * (several times cheaper: one string instead of a dozen part objects). The same formatter
 * options give the same six numbers; any output it does not expect goes to the original.
 */
export class FastZoneConverter extends ZoneConverter {
  private readonly formatter: Intl.DateTimeFormat | null;
  private readonly hours = new Map<number, number>();
  private readonly nums = [0, 0, 0, 0, 0, 0];

  constructor(zone: string) {
    super(zone);
    this.formatter =
      parseFixedOffset(zone) === null
        ? new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          })
        : null;
  }

  override offsetAt(utcMs: number): number {
    if (this.formatter === null) return super.offsetAt(utcMs);
    const hourKey = Math.floor(utcMs / 3_600_000);
    const hit = this.hours.get(hourKey);
    if (hit !== undefined) return hit;
    const probe = hourKey * 3_600_000;
    // `M/D/YYYY, HH:MM:SS`: month, day, year, hour, minute, second.
    const text = this.formatter.format(probe);
    const nums = this.nums;
    let count = 0;
    let value = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0x20;
      if (c >= 48 && c <= 57) {
        value = value < 0 ? c - 48 : value * 10 + c - 48;
        continue;
      }
      if (value >= 0) {
        if (count === 6) return super.offsetAt(utcMs);
        nums[count++] = value;
        value = -1;
      }
      if (c !== 0x2f && c !== 0x2c && c !== 0x20 && c !== 0x3a) return super.offsetAt(utcMs);
    }
    if (count !== 6) return super.offsetAt(utcMs);
    const asUtc = Date.UTC(nums[2]!, nums[0]! - 1, nums[1]!, nums[3]!, nums[4]!, nums[5]!);
    const offset = Math.round((asUtc - probe) / 60_000);
    this.hours.set(hourKey, offset);
    return offset;
  }
}
