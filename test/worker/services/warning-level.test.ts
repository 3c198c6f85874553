import { describe, expect, it } from 'vitest'
import { daysOfSupply, declaredLevel, instantLevel, validThresholds, type Thresholds } from '../../../worker/services/warning-level'

const RBC: Thresholds = { yellowDays: 7, orangeDays: 5, redDays: 3, consecutiveDays: 1 }
const CQ_RBC: Thresholds = { ...RBC, consecutiveDays: 3 }

describe('daysOfSupply', () => {
  it('divides usable stock by average daily issue', () => {
    expect(daysOfSupply(70, 10)).toBe(7)
    expect(daysOfSupply(15, 2)).toBe(7.5)
    expect(daysOfSupply(0, 4)).toBe(0)
  })
  it('is null when there is no use, and never negative', () => {
    expect(daysOfSupply(50, 0)).toBeNull()
    expect(daysOfSupply(0, 0)).toBeNull()
    expect(daysOfSupply(-3, 2)).toBe(0)
  })
})

describe('instantLevel', () => {
  it('maps days of supply to a level at the thresholds (below is worse, equal is not)', () => {
    expect(instantLevel(7, RBC)).toBe('normal')
    expect(instantLevel(6.99, RBC)).toBe('yellow')
    expect(instantLevel(5, RBC)).toBe('yellow')
    expect(instantLevel(4.9, RBC)).toBe('orange')
    expect(instantLevel(3, RBC)).toBe('orange')
    expect(instantLevel(2.9, RBC)).toBe('red')
    expect(instantLevel(0, RBC)).toBe('red')
  })
  it('no use means normal', () => {
    expect(instantLevel(null, RBC)).toBe('normal')
  })
})

describe('declaredLevel', () => {
  it('with one consecutive day, follows the newest reading', () => {
    expect(declaredLevel([10, 10, 6], RBC)).toBe('yellow')
    expect(declaredLevel([2, 2, 8], RBC)).toBe('normal')
    expect(declaredLevel([2], RBC)).toBe('red')
    expect(declaredLevel([null], RBC)).toBe('normal')
  })
  it('needs N consecutive daily readings below a threshold to declare it', () => {
    expect(declaredLevel([8, 6, 6], CQ_RBC)).toBe('normal')
    expect(declaredLevel([6, 6, 6], CQ_RBC)).toBe('yellow')
    expect(declaredLevel([9, 6, 6, 6], CQ_RBC)).toBe('yellow')
    expect(declaredLevel([6, 6, 4], CQ_RBC)).toBe('yellow')
    expect(declaredLevel([4, 4, 4], CQ_RBC)).toBe('orange')
    expect(declaredLevel([2, 2, 2], CQ_RBC)).toBe('red')
    expect(declaredLevel([2, 2, 7], CQ_RBC)).toBe('normal')
  })
  it('declares a fall below red at once, whatever the consecutive-day rule (it guards only yellow and orange)', () => {
    expect(declaredLevel([8, 8, 2], CQ_RBC)).toBe('red')
    expect(declaredLevel([4, 4, 2], CQ_RBC)).toBe('red')
    expect(declaredLevel([2, 2, 4], CQ_RBC)).toBe('orange') // back above red: orange, held 3 days below 5
  })
  it('declares no milder level with fewer readings than required, or when a day had no use', () => {
    expect(declaredLevel([4, 4], CQ_RBC)).toBe('normal')
    expect(declaredLevel([4, null, 4], CQ_RBC)).toBe('normal')
    expect(declaredLevel([1, 1], CQ_RBC)).toBe('red')
    expect(declaredLevel([1, null, 1], CQ_RBC)).toBe('red')
  })
})

describe('validThresholds', () => {
  it('requires yellow > orange > red > 0 and a whole number of days', () => {
    expect(validThresholds(RBC)).toBeNull()
    expect(validThresholds({ ...RBC, redDays: 0 })).toBe('redDays')
    expect(validThresholds({ ...RBC, orangeDays: 3 })).toBe('orangeDays')
    expect(validThresholds({ ...RBC, yellowDays: 5 })).toBe('yellowDays')
    expect(validThresholds({ ...RBC, consecutiveDays: 0 })).toBe('consecutiveDays')
    expect(validThresholds({ ...RBC, consecutiveDays: 1.5 })).toBe('consecutiveDays')
  })
})
